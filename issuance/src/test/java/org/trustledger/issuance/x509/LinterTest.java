package org.trustledger.issuance.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
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
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.ca.BouncyCastle;

/**
 * The lint rules that stand between a to-be-signed certificate and the CA's signature: a certificate as
 * the CA builds it passes, and each defect is caught by its own rule. (Requests that reach the linter
 * are already checked, so the issuance tests never see it refuse; here it is given defective
 * certificates directly.)
 */
class LinterTest {

    private static final X500Name ISSUER = new X500Name("CN=trust-ledger Class 1 Root,O=trust-ledger");
    private static final KeyPair CA = keyPair();
    private static final KeyPair MEMBER = keyPair();

    /** What one test changes about an otherwise clean CLIENT certificate. */
    static final class Spec {
        BigInteger serial = new BigInteger(1, new byte[] {0x5a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        X500Name issuer = ISSUER;
        X500Name subject = new X500Name("CN=CAcert WoT User");
        Duration validity = Duration.ofDays(180);
        boolean ca = false;
        int keyUsage = KeyUsage.digitalSignature;
        KeyPurposeId[] eku = CertificateTemplate.extendedKeyUsage(CertificateKind.CLIENT);
        GeneralName[] names = {new GeneralName(GeneralName.rfc822Name, "ada@example.org")};
        boolean crlDistributionPoint = true;
        boolean ocspLocation = true;
    }

    private static final Linter.Context CLIENT = new Linter.Context(CertificateKind.CLIENT, ISSUER,
            keyId(CA), 180, Set.of("ada@example.org"), Set.of(), false, false);
    private static final Linter.Context SERVER = new Linter.Context(CertificateKind.SERVER, ISSUER,
            keyId(CA), 180, Set.of(), Set.of("example.org"), false, false);

    @Test
    void a_certificate_as_the_ca_builds_it_is_clean() {
        assertThat(Linter.lint(cert(s -> { }), CLIENT)).isEmpty();
        assertThat(Linter.lint(cert(s -> {
            s.eku = CertificateTemplate.extendedKeyUsage(CertificateKind.SERVER);
            s.subject = new X500Name("CN=www.example.org");
            s.names = new GeneralName[] {new GeneralName(GeneralName.dNSName, "www.example.org")};
        }), SERVER)).isEmpty();
    }

    @Test
    void each_defect_is_caught_by_its_own_rule() {
        expect(s -> s.serial = BigInteger.valueOf(12345), CLIENT, "e_serial_entropy");
        expect(s -> s.issuer = new X500Name("CN=Someone Else"), CLIENT, "e_issuer");
        expect(s -> s.validity = Duration.ofDays(181), CLIENT, "e_validity_too_long");
        expect(s -> s.ca = true, CLIENT, "e_basic_constraints");
        expect(s -> s.keyUsage = KeyUsage.digitalSignature | KeyUsage.keyCertSign, CLIENT, "e_key_usage_ca");
        expect(s -> s.keyUsage = KeyUsage.digitalSignature | KeyUsage.keyEncipherment, CLIENT, "e_key_usage_ec");
        expect(s -> s.eku = new KeyPurposeId[] {KeyPurposeId.id_kp_codeSigning}, CLIENT, "e_extended_key_usage");
        expect(s -> s.crlDistributionPoint = false, CLIENT, "e_crl_distribution_point");
        expect(s -> s.ocspLocation = false, CLIENT, "e_authority_info_access");
        expect(s -> s.names = new GeneralName[] {new GeneralName(GeneralName.rfc822Name, "eve@example.org")}, CLIENT,
                "e_email_not_verified");
        expect(s -> s.names = new GeneralName[] {new GeneralName(GeneralName.dNSName, "www.example.org")}, CLIENT,
                "e_san_type");
        expect(s -> s.subject = new X500Name("CN=Ada,E=ada@example.org"), CLIENT, "e_subject_attribute");
        expect(s -> {
            s.eku = CertificateTemplate.extendedKeyUsage(CertificateKind.SERVER);
            s.names = new GeneralName[] {new GeneralName(GeneralName.dNSName, "www.evil.example")};
        }, SERVER, "e_dns_name_not_verified");
        expect(s -> {
            s.eku = CertificateTemplate.extendedKeyUsage(CertificateKind.SERVER);
            s.names = new GeneralName[] {new GeneralName(GeneralName.dNSName, "*.example.org")};
        }, SERVER, "e_wildcard");
        expect(s -> {
            s.eku = CertificateTemplate.extendedKeyUsage(CertificateKind.SERVER);
            s.names = new GeneralName[] {new GeneralName(GeneralName.dNSName, "a.example.org"),
                    new GeneralName(GeneralName.dNSName, "b.example.org")};
        }, SERVER, "e_san_count");
        expect(s -> {
            s.eku = CertificateTemplate.extendedKeyUsage(CertificateKind.SERVER);
            s.subject = new X500Name("CN=mail.example.org");
            s.names = new GeneralName[] {new GeneralName(GeneralName.dNSName, "www.example.org")};
        }, SERVER, "e_cn_not_in_san");
    }

    private static void expect(Consumer<Spec> defect, Linter.Context ctx, String rule) {
        List<String> problems = Linter.lint(cert(defect), ctx);
        assertThat(problems).as(rule).anySatisfy(p -> assertThat(p).startsWith(rule + ":"));
    }

    private static X509CertificateHolder cert(Consumer<Spec> change) {
        Spec s = new Spec();
        change.accept(s);
        try {
            Instant from = Instant.parse("2026-11-23T00:00:00Z");
            SubjectPublicKeyInfo key = SubjectPublicKeyInfo.getInstance(MEMBER.getPublic().getEncoded());
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(s.issuer, s.serial, Date.from(from),
                    Date.from(from.plus(s.validity)), s.subject, key);
            BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(s.ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(s.keyUsage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(s.eku));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(s.names));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(
                    SubjectPublicKeyInfo.getInstance(CA.getPublic().getEncoded())));
            if (s.crlDistributionPoint) {
                b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(
                                GeneralName.uniformResourceIdentifier, "http://ca.example/crl/class1-0.crl"))), null, null)}));
            }
            if (s.ocspLocation) {
                b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier,
                        "http://ca.example/ocsp/class1")));
            }
            return b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER)
                    .build(CA.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] keyId(KeyPair pair) {
        return new BcX509ExtensionUtils().createAuthorityKeyIdentifier(
                SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded())).getKeyIdentifier();
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
