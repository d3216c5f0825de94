package org.trustledger.issuance.ca;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustledger.issuance.api.CaId;

/**
 * The CA hierarchy of DOMAIN.md section 8: the self-signed Class 1 root, the Class 3 intermediate it
 * signs, and one delegated OCSP responder certificate per issuing CA. Made on first start when the key
 * home holds none; loaded as they are afterwards (their certificates never change under a running CA).
 */
public final class CaHierarchy {

    private static final Logger log = LoggerFactory.getLogger(CaHierarchy.class);
    static final long ROOT_YEARS = 20;
    static final long INTERMEDIATE_YEARS = 10;
    static final long OCSP_SIGNER_DAYS = 730;

    private final Map<CaId, Signer> cas = new EnumMap<>(CaId.class);
    private final Map<CaId, Signer> ocsp = new EnumMap<>(CaId.class);
    private final CaSettings settings;

    private CaHierarchy(CaSettings settings) {
        this.settings = settings;
    }

    /** Loads the hierarchy from {@code home}, generating whatever is missing. */
    public static CaHierarchy loadOrCreate(KeyHome home, CaSettings settings, Clock clock) {
        CaHierarchy h = new CaHierarchy(settings);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String alg = settings.keyAlgorithm();
        Signer class1 = home.load(CaId.CLASS1.slug()).orElseGet(() -> {
            log.info("Generating the Class 1 root CA key ({})", alg);
            X500Name subject = name(settings.organisation(), settings.organisation() + " Class 1 Root CA");
            return home.create(CaId.CLASS1.slug(), alg, (pub, self) -> caCertificate(subject, pub, subject, pub, self,
                    now, now.plus(ROOT_YEARS * 365, ChronoUnit.DAYS), null, settings, null));
        });
        h.cas.put(CaId.CLASS1, class1);
        Signer class3 = home.load(CaId.CLASS3.slug()).orElseGet(() -> {
            log.info("Generating the Class 3 intermediate CA key ({})", alg);
            X500Name subject = name(settings.organisation(), settings.organisation() + " Class 3 CA");
            return home.create(CaId.CLASS3.slug(), alg, (pub, self) -> caCertificate(subject, pub,
                    X500Name.getInstance(class1.certificate().getSubjectX500Principal().getEncoded()),
                    class1.publicKey(), class1.contentSigner("SHA384"), now,
                    now.plus(INTERMEDIATE_YEARS * 365, ChronoUnit.DAYS), 0, settings, CaId.CLASS1));
        });
        h.cas.put(CaId.CLASS3, class3);
        for (CaId ca : CaId.values()) {
            Signer issuer = h.cas.get(ca);
            String alias = ca.slug() + "-ocsp";
            h.ocsp.put(ca, home.load(alias).orElseGet(() -> home.create(alias, alg, (pub, self) ->
                    ocspSignerCertificate(pub, issuer, settings, now))));
        }
        return h;
    }

    public Signer signer(CaId ca) {
        return cas.get(ca);
    }

    public X509Certificate certificate(CaId ca) {
        return cas.get(ca).certificate();
    }

    /** The delegated OCSP responder of {@code ca} (id-kp-OCSPSigning, signed by {@code ca}). */
    public Signer ocspSigner(CaId ca) {
        return ocsp.get(ca);
    }

    public CaSettings settings() {
        return settings;
    }

    private static X500Name name(String organisation, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organisation).addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static X509Certificate caCertificate(X500Name subject, PublicKey key, X500Name issuer, PublicKey issuerKey,
                                                 ContentSigner signer, Instant from, Instant to, Integer pathLength,
                                                 CaSettings settings, CaId parent) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(from),
                    Date.from(to), subject, key);
            b.addExtension(Extension.basicConstraints, true,
                    pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            if (parent != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey));
                addStatusLocations(b, settings, parent, settings.crlUrl(parent));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (CertificateException | CertIOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot make the CA certificate " + subject + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate ocspSignerCertificate(PublicKey key, Signer issuer, CaSettings settings,
                                                         Instant now) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            String cn = issuerName.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString() + " OCSP Responder";
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial(), Date.from(now),
                    Date.from(now.plus(OCSP_SIGNER_DAYS, ChronoUnit.DAYS)), name(settings.organisation(), cn), key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.publicKey()));
            return new JcaX509CertificateConverter().getCertificate(b.build(issuer.contentSigner("SHA384")));
        } catch (CertificateException | CertIOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot make the OCSP responder certificate: " + e.getMessage(), e);
        }
    }

    /** The CRL distribution point given, and the OCSP/CA issuer locations of the CA that signs the certificate. */
    public static void addStatusLocations(X509v3CertificateBuilder b, CaSettings settings, CaId issuer, String crlUrl)
            throws CertIOException {
        GeneralName crl = new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl);
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(new GeneralNames(crl)), null, null)}));
        b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(new AccessDescription[] {
                new AccessDescription(AccessDescription.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, settings.ocspUrl(issuer))),
                new AccessDescription(AccessDescription.id_ad_caIssuers,
                        new GeneralName(GeneralName.uniformResourceIdentifier, settings.caCertificateUrl(issuer)))}));
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).setBit(126);
    }
}
