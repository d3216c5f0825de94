package org.trustledger.issuance.x509;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.IssuanceRefusalCode;

/**
 * The public key a request brings, checked against DOMAIN.md section 7: from a PKCS#10 CSR (whose
 * self-signature must verify, with SHA-256, -384 or -512) or a bare SubjectPublicKeyInfo; RSA of at
 * least 2048 bits with 65537 <= e < 2^256, or ECDSA on P-256 or P-384. The CSR's subject and
 * attributes are ignored: the CA writes the subject.
 *
 * @param description e.g. {@code EC P-256} or {@code RSA 3072}
 */
public record RequestKey(SubjectPublicKeyInfo publicKey, String description) {

    /** Largest PEM input accepted (a 16384-bit RSA CSR is under 6 KiB). */
    public static final int MAX_PEM_LENGTH = 16 * 1024;
    /**
     * One provider for every check: building a BouncyCastleProvider takes milliseconds (5 to 8 ms here),
     * which made a CSR about 30 times slower to issue than a bare public key (bench, CertificateIssuanceBenchmark).
     */
    private static final java.security.Provider PROVIDER = org.trustledger.issuance.ca.BouncyCastle.PROVIDER;
    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 16384;
    private static final BigInteger MIN_EXPONENT = BigInteger.valueOf(65537);
    private static final BigInteger EXPONENT_LIMIT = BigInteger.ONE.shiftLeft(256);
    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256", SECObjectIdentifiers.secp384r1, "P-384");
    private static final Set<ASN1ObjectIdentifier> CSR_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption, X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512);

    /** The key of exactly one of a CSR or a public key, both PEM. */
    public static RequestKey of(String csrPem, String publicKeyPem) {
        boolean csr = csrPem != null && !csrPem.isBlank();
        boolean key = publicKeyPem != null && !publicKeyPem.isBlank();
        if (csr == key) {
            throw refuse(IssuanceRefusalCode.KEY_MISSING, "Give exactly one of a CSR (PEM) or a public key (PEM).");
        }
        return csr ? fromCsr(csrPem) : fromPublicKey(publicKeyPem);
    }

    static RequestKey fromCsr(String pem) {
        PemObject object = singlePem(pem, "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(object.getContent());
        } catch (IOException | RuntimeException e) {
            throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "The CSR is not a valid PKCS#10 structure: "
                    + e.getMessage());
        }
        RequestKey key = checked(csr.getSubjectPublicKeyInfo());
        ASN1ObjectIdentifier sigAlg = csr.getSignatureAlgorithm().getAlgorithm();
        if (!CSR_SIGNATURES.contains(sigAlg)) {
            throw refuse(IssuanceRefusalCode.SIGNATURE_HASH_UNSUPPORTED, "The CSR is signed with " + sigAlg
                    + ": use RSA or ECDSA with SHA-256, SHA-384 or SHA-512.");
        }
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder()
                    .setProvider(PROVIDER)
                    .build(csr.getSubjectPublicKeyInfo());
            if (!csr.isSignatureValid(verifier)) {
                throw refuse(IssuanceRefusalCode.CSR_SIGNATURE_INVALID,
                        "The CSR's self-signature does not verify with its own public key.");
            }
        } catch (IssuanceRefusal r) {
            throw r;
        } catch (Exception e) {
            throw refuse(IssuanceRefusalCode.CSR_SIGNATURE_INVALID, "The CSR's self-signature cannot be checked: "
                    + e.getMessage());
        }
        return key;
    }

    static RequestKey fromPublicKey(String pem) {
        PemObject object = singlePem(pem, "PUBLIC KEY");
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(object.getContent());
        } catch (RuntimeException e) {
            throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "The public key is not a valid SubjectPublicKeyInfo: "
                    + e.getMessage());
        }
        return checked(info);
    }

    /** Applies the key policy to a SubjectPublicKeyInfo. */
    public static RequestKey checked(SubjectPublicKeyInfo info) {
        AlgorithmIdentifier alg = info.getAlgorithm();
        if (alg.getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
            RSAPublicKey rsa;
            try {
                rsa = RSAPublicKey.getInstance(info.parsePublicKey());
            } catch (IOException | RuntimeException e) {
                throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "The RSA public key is malformed: " + e.getMessage());
            }
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw refuse(IssuanceRefusalCode.KEY_TOO_WEAK, "RSA keys need at least " + MIN_RSA_BITS
                        + " bits; this one has " + bits + ".");
            }
            if (bits > MAX_RSA_BITS) {
                throw refuse(IssuanceRefusalCode.KEY_ALGORITHM_UNSUPPORTED, "RSA keys above " + MAX_RSA_BITS
                        + " bits are not accepted; this one has " + bits + ".");
            }
            BigInteger e = rsa.getPublicExponent();
            if (e.compareTo(MIN_EXPONENT) < 0 || e.compareTo(EXPONENT_LIMIT) >= 0 || !e.testBit(0)) {
                throw refuse(IssuanceRefusalCode.RSA_EXPONENT_INVALID, "The RSA public exponent must be odd, at least"
                        + " 65537 and below 2^256; this one is " + (e.bitLength() > 64 ? e.bitLength() + " bits" : e) + ".");
            }
            if (!rsa.getModulus().testBit(0)) {
                throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "The RSA modulus is even: not a valid RSA key.");
            }
            return new RequestKey(info, "RSA " + bits);
        }
        if (alg.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            if (!(alg.getParameters() instanceof ASN1ObjectIdentifier curve) || !CURVES.containsKey(curve)) {
                throw refuse(IssuanceRefusalCode.CURVE_UNSUPPORTED, "Only the named curves P-256 and P-384 are"
                        + " accepted; this key uses " + alg.getParameters() + ".");
            }
            try {
                // The JDK's KeyFactory takes any coordinates (it accepted (0, 1) on P-256); Bouncy Castle's
                // decoding checks that the point is on the curve and not the point at infinity.
                org.bouncycastle.math.ec.ECPoint point = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(curve)
                        .getCurve().decodePoint(info.getPublicKeyData().getOctets());
                if (point.isInfinity() || !point.isValid()) {
                    throw new IllegalArgumentException("the point at infinity or off the curve");
                }
            } catch (Exception e) {
                throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "The EC public key is not a point on "
                        + CURVES.get(curve) + ": " + e.getMessage());
            }
            return new RequestKey(info, "EC " + CURVES.get(curve));
        }
        throw refuse(IssuanceRefusalCode.KEY_ALGORITHM_UNSUPPORTED, "Key algorithm " + alg.getAlgorithm()
                + " is not accepted: use RSA (2048 bits or more) or ECDSA on P-256 or P-384.");
    }

    private static PemObject singlePem(String pem, String... types) {
        if (pem.length() > MAX_PEM_LENGTH) {
            throw refuse(IssuanceRefusalCode.INPUT_TOO_LARGE, "The PEM input has " + pem.length()
                    + " characters; at most " + MAX_PEM_LENGTH + " are accepted.");
        }
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject object = reader.readPemObject();
            if (object == null) {
                throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "No PEM block found: expected -----BEGIN "
                        + types[0] + "-----.");
            }
            if (!Set.of(types).contains(object.getType())) {
                throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "Expected a PEM " + types[0] + ", got a PEM "
                        + object.getType() + ".");
            }
            if (reader.readPemObject() != null) {
                throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "More than one PEM block: send exactly one.");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IssuanceRefusal r) {
                throw r;
            }
            throw refuse(IssuanceRefusalCode.CSR_MALFORMED, "The PEM input cannot be read: " + e.getMessage());
        }
    }

    private static IssuanceRefusal refuse(IssuanceRefusalCode code, String message) {
        return new IssuanceRefusal(code, message);
    }
}
