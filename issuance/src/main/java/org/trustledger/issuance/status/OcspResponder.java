package org.trustledger.issuance.status;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
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
 *
 * <p>The common request, one certificate named with a SHA-1 CertID (RFC 5019, what browsers and
 * OpenSSL send), is answered with a pre-signed response from {@link OcspResponseStore}: signed once,
 * served until half its validity has passed, refreshed in the background ({@link #refreshStale}). Such
 * a response carries no nonce, as RFC 5019 allows. Anything else (several certificates, another hash)
 * is signed for the request, echoing its nonce.
 */
public class OcspResponder {

    /** How long a response may be cached by relying parties. */
    public static final Duration VALIDITY = Duration.ofHours(12);
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OcspResponder.class);
    /** A pre-signed response is served until it is this old, then signed again. */
    public static final Duration REFRESH_AFTER = VALIDITY.dividedBy(2);
    static final int MAX_REQUESTS = 20;
    private static final AlgorithmIdentifier SHA1 = new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1);
    private final CertificateRegister register;
    private final CaHierarchy cas;
    private final OcspResponseStore store;
    private final Clock clock;
    private final DigestCalculatorProvider digests;

    public OcspResponder(CertificateRegister register, CaHierarchy cas, OcspResponseStore store, Clock clock) {
        this.register = register;
        this.cas = cas;
        this.store = store;
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
            X509CertificateHolder issuer = new JcaX509CertificateHolder(cas.certificate(ca));
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            if (items.length == 1 && items[0].getCertID().getHashAlgOID().equals(OIWObjectIdentifiers.idSHA1)) {
                Optional<byte[]> preSigned = preSigned(ca, issuer, items[0].getCertID(), now);
                if (preSigned.isPresent()) {
                    return preSigned.get();
                }
            }
            Map<CertificateID, CertificateStatus> statuses = new LinkedHashMap<>();
            for (Req item : items) {
                statuses.put(item.getCertID(), status(ca, issuer, item.getCertID()));
            }
            return signed(ca, statuses, req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce), now);
        } catch (OCSPException | IOException | CertificateEncodingException
                 | org.bouncycastle.operator.OperatorCreationException e) {
            log.error("Cannot answer an OCSP request to {}", ca, e);
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        } catch (com.mongodb.MongoException e) {
            log.warn("OCSP request to {} while the store is unavailable: {}", ca, e.toString());
            return status(OCSPRespBuilder.TRY_LATER); // RFC 6960's own "retry later"
        } catch (RuntimeException e) {
            log.error("Cannot answer an OCSP request to {}", ca, e);
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    /**
     * The stored response for a certificate this CA issued, signing (and storing) a new one when there is
     * none or it is due for refresh; empty for a serial the register does not know ("unknown" is never stored).
     */
    private Optional<byte[]> preSigned(CaId ca, X509CertificateHolder issuer, CertificateID id, Instant now)
            throws OCSPException, IOException, CertificateEncodingException,
            org.bouncycastle.operator.OperatorCreationException {
        BigInteger serial = id.getSerialNumber();
        Optional<OcspResponseStore.Stored> stored = store.find(ca, serial);
        if (stored.isPresent() && stored.get().der() != null && stored.get().producedAt().isAfter(now.minus(REFRESH_AFTER))
                && issuedBy(issuer, id)) {
            return Optional.of(stored.get().der());
        }
        CertificateStatus status = status(ca, issuer, id);
        if (status instanceof UnknownStatus) {
            return Optional.empty();
        }
        Map<CertificateID, CertificateStatus> one = new LinkedHashMap<>();
        one.put(id, status); // Bouncy Castle's GOOD is null: no Map.of
        byte[] der = signed(ca, one, null, now);
        store.store(ca, serial, der, now, status instanceof RevokedStatus);
        return Optional.of(der);
    }

    /** Signs again every stored response that is due (or voided by a revocation); returns how many. */
    public int refreshStale() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        int[] refreshed = {0};
        store.forEach((ca, serial) -> {
            Optional<OcspResponseStore.Stored> stored = store.find(ca, serial);
            if (stored.isEmpty() || stored.get().der() != null && stored.get().producedAt().isAfter(now.minus(REFRESH_AFTER))) {
                return;
            }
            try {
                X509CertificateHolder issuer = new JcaX509CertificateHolder(cas.certificate(ca));
                if (preSigned(ca, issuer, new CertificateID(digests.get(SHA1), issuer, serial), now).isPresent()) {
                    refreshed[0]++;
                }
            } catch (OCSPException | IOException | CertificateEncodingException
                     | org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException("Cannot sign an OCSP response for " + serial.toString(16), e);
            }
        });
        return refreshed[0];
    }

    private byte[] signed(CaId ca, Map<CertificateID, CertificateStatus> statuses, Extension nonce, Instant now)
            throws OCSPException, IOException, CertificateEncodingException,
            org.bouncycastle.operator.OperatorCreationException {
        Signer responder = cas.ocspSigner(ca);
        X509CertificateHolder responderCert = new JcaX509CertificateHolder(responder.certificate());
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                responderCert.getSubjectPublicKeyInfo(), digests.get(CertificateID.HASH_SHA1)));
        Date nextUpdate = Date.from(now.plus(VALIDITY));
        statuses.forEach((id, status) -> builder.addResponse(id, status, Date.from(now), nextUpdate));
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                responder.contentSigner("SHA256"), new X509CertificateHolder[] {responderCert}, Date.from(now)))
                .getEncoded();
    }

    /** Whether the request names this CA as the issuer (hashes of its name and key, in the request's hash). */
    private boolean issuedBy(X509CertificateHolder issuer, CertificateID id)
            throws OCSPException, org.bouncycastle.operator.OperatorCreationException {
        CertificateID ours = new CertificateID(digests.get(new AlgorithmIdentifier(id.getHashAlgOID())), issuer,
                id.getSerialNumber());
        return java.util.Arrays.equals(ours.getIssuerNameHash(), id.getIssuerNameHash())
                && java.util.Arrays.equals(ours.getIssuerKeyHash(), id.getIssuerKeyHash());
    }

    private CertificateStatus status(CaId ca, X509CertificateHolder issuer, CertificateID id)
            throws OCSPException, org.bouncycastle.operator.OperatorCreationException {
        if (!issuedBy(issuer, id)) {
            return new UnknownStatus();
        }
        BigInteger serial = id.getSerialNumber();
        if (ca == CaId.CLASS1 && serial.equals(cas.certificate(CaId.CLASS3).getSerialNumber())) {
            return CertificateStatus.GOOD; // the Class 3 intermediate: relying parties check it too
        }
        Optional<CertificateView> cert = register.certificate(serial.toString(16)).filter(c -> c.issuer() == ca);
        if (cert.isEmpty()) {
            return new UnknownStatus();
        }
        CertificateView c = cert.get();
        if (c.revokedAt() != null) {
            return new RevokedStatus(Date.from(c.revokedAt()), c.revocationReason().code());
        }
        return c.pem() == null ? new UnknownStatus() : CertificateStatus.GOOD; // reserved, never signed: unknown
    }

    private static byte[] status(int code) {
        try {
            return new OCSPRespBuilder().build(code, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
