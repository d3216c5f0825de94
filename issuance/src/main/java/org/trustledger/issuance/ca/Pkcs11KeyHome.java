package org.trustledger.issuance.ca;

import java.nio.file.Path;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.BiFunction;
import org.bouncycastle.operator.ContentSigner;

/**
 * CA keys inside a PKCS#11 token (an HSM, or SoftHSM2 for tests): generated in the token, never
 * extractable, used through {@link Pkcs11Signer}.
 */
public final class Pkcs11KeyHome implements KeyHome {

    private final Provider provider;
    private final char[] pin;

    public Pkcs11KeyHome(Path library, int slotListIndex, char[] pin) {
        this.provider = Pkcs11Signer.provider("trust-ledger", library, slotListIndex);
        this.pin = pin.clone();
    }

    @Override
    public Optional<Signer> load(String alias) {
        try {
            return Optional.of(Pkcs11Signer.open(provider, pin, alias));
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("No private key")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Signer create(String alias, String keyAlgorithm,
                         BiFunction<PublicKey, ContentSigner, X509Certificate> certify) {
        return Pkcs11Signer.generate(provider, pin, alias, keyAlgorithm, certify);
    }
}
