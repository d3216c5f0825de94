package org.trustledger.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.ca.Signer;
import org.trustledger.issuance.status.OcspResponder;

/**
 * How many OCSP responses per second one responder key can sign: a BasicOCSPResponse with one "good"
 * SingleResponse, signed with SHA-256 by the CA's delegated responder ({@link CaHierarchy#ocspSigner},
 * ECDSA P-256 or RSA-2048) with its certificate included, wrapped in a successful OCSPResponse and
 * DER-encoded, as {@link OcspResponder} answers. Plain Bouncy Castle, written the way the responder
 * writes it: {@code OcspResponder.respond} cannot run without the MongoDB-backed certificate register.
 * Reading the request and the register lookup are left out; the responder's identity and the
 * certificate id, which depend only on the CA, are made once.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class OcspResponseBenchmark {

    @Param({"EC-P256", "RSA-2048"})
    public String responderKey;

    private Signer responder;
    private X509CertificateHolder[] responderChain;
    private RespID responderId;
    private CertificateID certificateId;

    @Setup
    public void setUp() throws Exception {
        CaHierarchy cas = BenchmarkCa.hierarchy(responderKey);
        responder = cas.ocspSigner(BenchmarkCa.ISSUER);
        X509CertificateHolder responderCertificate = new JcaX509CertificateHolder(responder.certificate());
        responderChain = new X509CertificateHolder[] {responderCertificate};
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        responderId = new RespID(responderCertificate.getSubjectPublicKeyInfo(), digests.get(CertificateID.HASH_SHA1));
        certificateId = new CertificateID(digests.get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(cas.certificate(BenchmarkCa.ISSUER)), new BigInteger(127, new SecureRandom()));
        if (!response().isSignatureValid(BenchmarkCa.verifier(responder.publicKey()))) {
            throw new IllegalStateException("The " + responderKey + " responder's signature does not verify");
        }
    }

    /** (1c) One SingleResponse, signed and encoded. */
    @Benchmark
    public byte[] buildAndSign() throws OCSPException, IOException {
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, response()).getEncoded();
    }

    private BasicOCSPResp response() throws OCSPException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(responderId);
        builder.addResponse(certificateId, CertificateStatus.GOOD, Date.from(now),
                Date.from(now.plus(OcspResponder.VALIDITY)));
        return builder.build(responder.contentSigner("SHA256"), responderChain, Date.from(now));
    }
}
