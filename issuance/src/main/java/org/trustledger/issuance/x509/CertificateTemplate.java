package org.trustledger.issuance.x509;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.status.CrlShards;
import org.trustledger.issuance.ca.Signer;

/**
 * Everything a member certificate will contain, decided before any signature. {@link #build} turns it
 * into the same bytes every time, so what was linted and recorded is exactly what gets signed.
 *
 * @param subjectAltNames {@code dns:host} or {@code email:address} entries, in order
 */
public record CertificateTemplate(BigInteger serial, CertificateKind kind, CaId issuer, X500Name subject,
                                  List<String> subjectAltNames, SubjectPublicKeyInfo publicKey, Instant notBefore,
                                  Instant notAfter, String digest) {

    public CertificateTemplate {
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** The certificate signed by {@code signer}, which must be the key of {@code issuer} in {@code cas}. */
    public X509CertificateHolder build(CaHierarchy cas, ContentSigner signer) {
        try {
            Signer ca = cas.signer(issuer);
            X500Name issuerName = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, serial, Date.from(notBefore),
                    Date.from(notAfter), subject, publicKey);
            BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage()));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage(kind)));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(generalNames()));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(
                    SubjectPublicKeyInfo.getInstance(ca.publicKey().getEncoded())));
            CaHierarchy.addStatusLocations(b, cas.settings(), issuer, cas.settings().crlUrl(issuer, CrlShards.of(serial)));
            return b.build(signer);
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot encode certificate " + serial.toString(16) + ": " + e.getMessage(), e);
        }
    }

    /** Builds the to-be-signed certificate without a real signature, for linting and recording. */
    public X509CertificateHolder toBeSigned(CaHierarchy cas) {
        return build(cas, new UnsignedContentSigner(cas.signer(issuer).contentSigner(digest).getAlgorithmIdentifier()));
    }

    /** SHA-256 of the DER TBSCertificate, hex: what the reservation records and the signature must match. */
    public static String tbsSha256(X509CertificateHolder certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(certificate.toASN1Structure().getTBSCertificate().getEncoded(ASN1Encoding.DER)));
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int keyUsage() {
        boolean rsa = publicKey.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
        boolean encipher = rsa && (kind != CertificateKind.CODE_SIGNING);
        return KeyUsage.digitalSignature | (encipher ? KeyUsage.keyEncipherment : 0);
    }

    /** The extended key usages of each kind (DOMAIN.md section 7). */
    public static KeyPurposeId[] extendedKeyUsage(CertificateKind kind) {
        return switch (kind) {
            case CLIENT, ORGANISATION_CLIENT -> new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth,
                    KeyPurposeId.id_kp_emailProtection};
            case SERVER, ORGANISATION_SERVER -> new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth};
            case CODE_SIGNING -> new KeyPurposeId[] {KeyPurposeId.id_kp_codeSigning};
        };
    }

    private GeneralName[] generalNames() {
        List<GeneralName> names = new ArrayList<>();
        for (String san : subjectAltNames) {
            if (san.startsWith("dns:")) {
                names.add(new GeneralName(GeneralName.dNSName, san.substring(4)));
            } else if (san.startsWith("email:")) {
                names.add(new GeneralName(GeneralName.rfc822Name, san.substring(6)));
            } else {
                throw new IllegalArgumentException("Unknown subjectAltName form " + san);
            }
        }
        return names.toArray(GeneralName[]::new);
    }

    /** Produces the TBS bytes under the real algorithm identifier, with an empty signature. */
    private record UnsignedContentSigner(AlgorithmIdentifier algorithm) implements ContentSigner {

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return java.io.OutputStream.nullOutputStream();
        }

        @Override
        public byte[] getSignature() {
            return new byte[0];
        }
    }
}
