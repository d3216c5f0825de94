package org.trustledger.issuance.ca;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * A CA's signing key, wherever it lives: in memory after loading an encrypted PKCS#12 file
 * ({@link SoftwareSigner}) or inside a PKCS#11 token that never lets the private key out
 * ({@link Pkcs11Signer}). Callers only ever get a {@link ContentSigner} for one signature.
 */
public interface Signer {

    /** The certificate of this key (a CA certificate, or the OCSP responder's). */
    X509Certificate certificate();

    default PublicKey publicKey() {
        return certificate().getPublicKey();
    }

    /**
     * A content signer for this key with the given digest, e.g. {@code SHA256}, {@code SHA384} or
     * {@code SHA512}; the signature algorithm (ECDSA or RSA) follows from the key.
     */
    ContentSigner contentSigner(String digest);

    /** Checks signatures made by this key (of what it signed, before it leaves the CA). */
    default ContentVerifierProvider verifier() {
        try {
            return new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(publicKey());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot check signatures of " + certificate().getSubjectX500Principal(), e);
        }
    }

    /** JCA signature algorithm name for a key algorithm ({@code EC} or {@code RSA}) and a digest. */
    static String signatureAlgorithm(String keyAlgorithm, String digest) {
        String d = digest == null ? "SHA256" : digest.toUpperCase(java.util.Locale.ROOT).replace("-", "");
        if (!d.equals("SHA256") && !d.equals("SHA384") && !d.equals("SHA512")) {
            throw new IllegalArgumentException("Unsupported digest " + digest + ": use SHA256, SHA384 or SHA512.");
        }
        return switch (keyAlgorithm) {
            case "EC", "ECDSA" -> d + "withECDSA";
            case "RSA" -> d + "withRSA";
            default -> throw new IllegalArgumentException("Unsupported key algorithm " + keyAlgorithm);
        };
    }
}
