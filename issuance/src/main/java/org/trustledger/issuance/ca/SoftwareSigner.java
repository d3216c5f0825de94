package org.trustledger.issuance.ca;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.bc.BcRSAContentSignerBuilder;
import org.bouncycastle.operator.bc.BcRSAContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A signing key held in memory (loaded from the encrypted PKCS#12 key store).
 *
 * <p>The key is turned into Bouncy Castle's own key parameters once, when loaded, and every signature
 * and check uses those. Through the JCA, each signature converted the key again, and with it the
 * curve's generator into a new point object, so Bouncy Castle recomputed the generator's
 * fixed-point table (cached on the point) for every signature: 70 % of the signing time in an issuance
 * profile, and the check of each new certificate's signature converted the public key the same way.
 */
public final class SoftwareSigner implements Signer {

    private static final DefaultSignatureAlgorithmIdentifierFinder SIGNATURES = new DefaultSignatureAlgorithmIdentifierFinder();
    private static final DefaultDigestAlgorithmIdentifierFinder DIGESTS = new DefaultDigestAlgorithmIdentifierFinder();

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final AsymmetricKeyParameter signingKey;
    private final ContentVerifierProvider verifier;

    public SoftwareSigner(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        try {
            this.signingKey = PrivateKeyFactory.createKey(privateKey.getEncoded());
            AsymmetricKeyParameter publicKey = PublicKeyFactory.createKey(
                    SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()));
            this.verifier = ec(privateKey) ? new BcECContentVerifierProviderBuilder(DIGESTS).build(publicKey)
                    : new BcRSAContentVerifierProviderBuilder(DIGESTS).build(publicKey);
        } catch (IOException | OperatorCreationException | RuntimeException e) {
            throw new IllegalStateException("Cannot use the " + privateKey.getAlgorithm() + " key of "
                    + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public ContentSigner contentSigner(String digest) {
        AlgorithmIdentifier signature = SIGNATURES.find(Signer.signatureAlgorithm(privateKey.getAlgorithm(), digest));
        AlgorithmIdentifier hash = DIGESTS.find(signature);
        try {
            return ec(privateKey) ? new BcECContentSignerBuilder(signature, hash).build(signingKey)
                    : new BcRSAContentSignerBuilder(signature, hash).build(signingKey);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot sign with the " + privateKey.getAlgorithm() + " key", e);
        }
    }

    @Override
    public ContentVerifierProvider verifier() {
        return verifier;
    }

    private static boolean ec(PrivateKey key) {
        return key.getAlgorithm().equals("EC") || key.getAlgorithm().equals("ECDSA");
    }

    /** A content signer on any private key, e.g. one with no certificate yet (a root in the making). */
    static ContentSigner signerFor(PrivateKey key, String digest) {
        try {
            return new JcaContentSignerBuilder(Signer.signatureAlgorithm(key.getAlgorithm(), digest))
                    .setProvider(BouncyCastle.PROVIDER).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot sign with the " + key.getAlgorithm() + " key", e);
        }
    }
}
