package org.trustledger.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
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
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.ca.Pkcs12KeyHome;
import org.trustledger.issuance.x509.CertificateTemplate;
import org.trustledger.issuance.x509.RequestKey;

/**
 * How many member certificates one CA key can sign per second, through the project's own code: a
 * {@link CertificateTemplate} (basic constraints, key usage, EKU, SAN, SKI, AKI, CRL distribution
 * point and AIA, exactly what members get) built and signed with a fresh content signer of the CA's
 * {@code Signer}, as {@code IssuanceDesk.sign} does, then DER-encoded. The second benchmark starts one
 * step earlier, from the PEM CSR a member sends: {@link RequestKey} parses it, applies the key policy
 * and checks its self-signature. The issuing key is ECDSA P-256 (SHA256withECDSA) or RSA-2048
 * (SHA256withRSA); the subject key is always EC P-256. What {@code IssuanceDesk} adds around this
 * (reading the member's rights, reserving the serial in MongoDB, linting the to-be-signed certificate,
 * re-checking the signature) is left out: it needs the database and is not Bouncy Castle's limit.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class CertificateIssuanceBenchmark {

    private static final X500Name SUBJECT = new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.CN, "Ada Lovelace").build();
    private static final List<String> SUBJECT_ALT_NAMES = List.of("email:ada@example.org");
    private static final String DIGEST = "SHA256";
    /** An assured member's client certificate (DOMAIN.md section 7). */
    private static final long VALIDITY_DAYS = 730;

    @Param({"EC-P256", "RSA-2048"})
    public String issuerKey;

    private CaHierarchy cas;
    private SubjectPublicKeyInfo subjectKey;
    private String csrPem;
    private Instant notBefore;

    /** A CA serial per certificate: 127 random bits, as {@code Serials} draws them (without MongoDB). */
    @State(Scope.Thread)
    public static class SerialSource {

        private final SecureRandom random = new SecureRandom();

        BigInteger next() {
            return new BigInteger(127, random);
        }
    }

    @Setup
    public void setUp() throws Exception {
        cas = BenchmarkCa.hierarchy(issuerKey);
        KeyPair member = Pkcs12KeyHome.generate("EC-P256");
        subjectKey = SubjectPublicKeyInfo.getInstance(member.getPublic().getEncoded());
        csrPem = csrPem(member);
        notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.MINUTES);
        SerialSource serials = new SerialSource();
        for (X509CertificateHolder made : List.of(certificate(subjectKey, serials.next()),
                certificate(RequestKey.of(csrPem, null).publicKey(), serials.next()))) {
            if (!made.isSignatureValid(BenchmarkCa.verifier(cas.signer(BenchmarkCa.ISSUER).publicKey()))) {
                throw new IllegalStateException("The " + issuerKey + " CA's signature does not verify");
            }
        }
    }

    /** (1a) Template, build and sign, encode: from a public key the issuance desk has already checked. */
    @Benchmark
    public byte[] buildAndSign(SerialSource serials) throws IOException {
        return certificate(subjectKey, serials.next()).getEncoded();
    }

    /** (1b) The same from the member's PEM CSR: parse, key policy, self-signature check, then as (1a). */
    @Benchmark
    public byte[] parseCsrCheckBuildAndSign(SerialSource serials) throws IOException {
        return certificate(RequestKey.of(csrPem, null).publicKey(), serials.next()).getEncoded();
    }

    private X509CertificateHolder certificate(SubjectPublicKeyInfo key, BigInteger serial) {
        CertificateTemplate template = new CertificateTemplate(serial, CertificateKind.CLIENT, BenchmarkCa.ISSUER,
                SUBJECT, SUBJECT_ALT_NAMES, key, notBefore, notBefore.plus(VALIDITY_DAYS, ChronoUnit.DAYS), DIGEST);
        return template.build(cas, cas.signer(BenchmarkCa.ISSUER).contentSigner(DIGEST));
    }

    private static String csrPem(KeyPair member) throws Exception {
        byte[] der = new JcaPKCS10CertificationRequestBuilder(SUBJECT, member.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BenchmarkCa.PROVIDER)
                        .build(member.getPrivate()))
                .getEncoded();
        StringWriter text = new StringWriter();
        try (PemWriter pem = new PemWriter(text)) {
            pem.writeObject(new PemObject("CERTIFICATE REQUEST", der));
        }
        return text.toString();
    }
}
