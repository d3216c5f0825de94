package org.trustledger.issuance.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A signing key held in memory (loaded from the encrypted PKCS#12 key store). */
public final class SoftwareSigner implements Signer {

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    public SoftwareSigner(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public ContentSigner contentSigner(String digest) {
        return signerFor(privateKey, digest);
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
