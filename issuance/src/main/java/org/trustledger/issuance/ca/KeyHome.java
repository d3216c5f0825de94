package org.trustledger.issuance.ca;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.BiFunction;
import org.bouncycastle.operator.ContentSigner;

/** Where CA keys are kept: an encrypted PKCS#12 file ({@link Pkcs12KeyHome}) or a PKCS#11 token. */
public interface KeyHome {

    /** The key and certificate stored under {@code alias}, if present. */
    Optional<Signer> load(String alias);

    /**
     * Generates a key pair here ({@code EC-P384}, {@code EC-P256}, {@code RSA-4096}...), has
     * {@code certify} make its certificate (given the public key and a signer on the new private key,
     * for a self-signed root), stores both under {@code alias} and returns the signer.
     */
    Signer create(String alias, String keyAlgorithm,
                  BiFunction<PublicKey, ContentSigner, X509Certificate> certify);
}
