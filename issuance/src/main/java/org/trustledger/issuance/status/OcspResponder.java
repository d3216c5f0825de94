package org.trustledger.issuance.status;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.issuance.CertificateView;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.ca.Signer;

/**
 * An RFC 6960 OCSP responder per issuing CA, answering from the register with the CA's delegated
 * responder certificate (included in every response). A serial the CA never issued is "unknown";
 * malformed requests get the malformedRequest status, never an exception.
 */
public class OcspResponder {

    /** How long a response may be cached by relying parties. */
    public static final Duration VALIDITY = Duration.ofHours(12);
    static final int MAX_REQUESTS = 20;
    private final CertificateRegister register;
    private final CaHierarchy cas;
    private final Clock clock;
    private final DigestCalculatorProvider digests;

    public OcspResponder(CertificateRegister register, CaHierarchy cas, Clock clock) {
        this.register = register;
        this.cas = cas;
        this.clock = clock;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The DER OCSPResponse to a DER OCSPRequest sent to the responder of {@code ca}. */
    public byte[] respond(CaId ca, byte[] request) {
        try {
            OCSPReq req;
            try {
                req = new OCSPReq(request);
            } catch (IOException | RuntimeException e) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            Req[] items = req.getRequestList();
            if (items.length == 0 || items.length > MAX_REQUESTS) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            Signer responder = cas.ocspSigner(ca);
            X509CertificateHolder issuer = new JcaX509CertificateHolder(cas.certificate(ca));
            X509CertificateHolder responderCert = new JcaX509CertificateHolder(responder.certificate());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                    responderCert.getSubjectPublicKeyInfo(), digests.get(CertificateID.HASH_SHA1)));
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Date nextUpdate = Date.from(now.plus(VALIDITY));
            for (Req item : items) {
                CertificateID id = item.getCertID();
                builder.addResponse(id, status(ca, issuer, id, now), Date.from(now), nextUpdate);
            }
            Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(nonce));
            }
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                    responder.contentSigner("SHA256"), new X509CertificateHolder[] {responderCert}, Date.from(now)))
                    .getEncoded();
        } catch (OCSPException | IOException | CertificateEncodingException
                 | org.bouncycastle.operator.OperatorCreationException e) {
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private CertificateStatus status(CaId ca, X509CertificateHolder issuer, CertificateID id, Instant now)
            throws OCSPException, org.bouncycastle.operator.OperatorCreationException {
        // The request names the issuer by hashes of its name and key, with the hash algorithm it chose.
        CertificateID ours = new CertificateID(digests.get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(id.getHashAlgOID())), issuer, id.getSerialNumber());
        if (!java.util.Arrays.equals(ours.getIssuerNameHash(), id.getIssuerNameHash())
                || !java.util.Arrays.equals(ours.getIssuerKeyHash(), id.getIssuerKeyHash())) {
            return new UnknownStatus();
        }
        BigInteger serial = id.getSerialNumber();
        if (ca == CaId.CLASS1 && serial.equals(cas.certificate(CaId.CLASS3).getSerialNumber())) {
            return CertificateStatus.GOOD; // the Class 3 intermediate: relying parties check it too
        }
        Optional<CertificateView> cert = register.certificate(serial.toString(16)).filter(c -> c.issuer() == ca);
        if (cert.isEmpty() || cert.get().pem() == null) {
            return new UnknownStatus();
        }
        CertificateView c = cert.get();
        if (c.revokedAt() != null) {
            return new RevokedStatus(Date.from(c.revokedAt()), c.revocationReason().code());
        }
        return CertificateStatus.GOOD;
    }

    private static byte[] status(int code) {
        try {
            return new OCSPRespBuilder().build(code, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
