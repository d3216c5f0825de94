package org.trustledger.issuance.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.Random;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

/** The CRL builder writes what Bouncy Castle's X509v2CRLBuilder writes, without its date formatting. */
class CrlBuilderTest {

    /** RFC 5280's reason codes (7 is not used). */
    private static final int[] REASONS = {0, 1, 2, 3, 4, 5, 6, 8, 9, 10};

    /** Around the UTCTime/GeneralizedTime boundaries, leap days, the end of a year, and random instants. */
    @Test
    void times_are_encoded_as_bouncy_castle_encodes_them() throws Exception {
        String[] edges = {"1949-12-31T23:59:59Z", "1950-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
                "2026-11-23T08:05:09Z", "2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z", "2100-03-01T00:00:00Z",
                "1700-06-15T10:20:30Z", "9999-12-31T23:59:59Z"}; // (before 1582 Date's calendar is Julian)
        for (String edge : edges) {
            Instant at = Instant.parse(edge);
            assertThat(CrlBuilder.time(at).getEncoded()).as(edge).isEqualTo(new Time(Date.from(at)).getEncoded());
        }
        Random random = new Random(5);
        for (int i = 0; i < 2_000; i++) {
            // Milliseconds included: both drop them (a CRL's times are to the second).
            Instant at = Instant.ofEpochMilli(random.nextLong(-2_000_000_000_000L, 4_200_000_000_000L));
            assertThat(CrlBuilder.time(at).getEncoded()).as(at.toString()).isEqualTo(new Time(Date.from(at)).getEncoded());
        }
        assertThatThrownBy(() -> CrlBuilder.time(Instant.parse("+10000-01-01T00:00:00Z")))
                .hasMessageContaining("years 0 to 9999");
    }

    /** Entries with and without a reason code, extensions, the signature: the same TBS list, a valid signature. */
    @Test
    void a_crl_has_the_very_tbs_list_bouncy_castles_builder_makes_and_a_valid_signature() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        X500Name issuer = new X500Name("CN=trust-ledger Class 3 test, O=trust-ledger");
        Instant now = Instant.parse("2026-12-05T07:30:00Z");
        CrlBuilder ours = new CrlBuilder(issuer, now, now.plusSeconds(86_400));
        X509v2CRLBuilder theirs = new X509v2CRLBuilder(issuer, Date.from(now));
        theirs.setNextUpdate(Date.from(now.plusSeconds(86_400)));
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            BigInteger serial = new BigInteger(127, random);
            Instant revokedAt = now.minusMillis(random.nextLong(1, 400L * 86_400_000));
            int reason = REASONS[i % REASONS.length]; // 0: unspecified, written without the extension
            ours.revoked(serial, revokedAt, reason);
            theirs.addCRLEntry(serial, Date.from(revokedAt), reason);
        }
        CRLNumber number = new CRLNumber(BigInteger.valueOf(42));
        var aki = new BcX509ExtensionUtils().createAuthorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
        ours.extension(Extension.cRLNumber, false, number).extension(Extension.authorityKeyIdentifier, false, aki);
        theirs.addExtension(Extension.cRLNumber, false, number);
        theirs.addExtension(Extension.authorityKeyIdentifier, false, aki);
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());

        X509CRLHolder crl = ours.sign(signer);
        X509CRLHolder reference = theirs.build(signer);
        assertThat(crl.toASN1Structure().getTBSCertList().getEncoded())
                .isEqualTo(reference.toASN1Structure().getTBSCertList().getEncoded());
        assertThat(crl.toASN1Structure().getSignatureAlgorithm()).isEqualTo(reference.toASN1Structure().getSignatureAlgorithm());
        assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic()))).isTrue();
        assertThat(crl.getRevokedCertificates()).hasSize(500);
        // What the JDK's own parser makes of it.
        var jdk = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(crl.getEncoded()));
        jdk.verify(key.getPublic());
        assertThat(jdk.getRevokedCertificates()).hasSize(500);
    }
}
