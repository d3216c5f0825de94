package org.trustledger.issuance.ca;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A signing key inside a PKCS#11 token (an HSM, or SoftHSM2 in tests), used through Java's SunPKCS11
 * provider. The private key is generated in the token as sensitive and unextractable, and every
 * signature is made by the token; only its certificate lives in the token's key store next to it.
 *
 * <p>PKCS#11 login state belongs to the whole process: once any provider for a token has logged in,
 * SunPKCS11 does not check the PIN of later logins to that token until someone logs out.
 */
public final class Pkcs11Signer implements Signer {

    private static final Pattern PROVIDER_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * Generated private keys are sensitive and unextractable whatever the token's defaults (SoftHSM2's
     * are "not sensitive"); the {@code PKCS11} key store then copies the session key into a token object.
     */
    private static final String PRIVATE_KEY_TEMPLATE = """
            attributes(generate, CKO_PRIVATE_KEY, *) = {
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
            }
            """;

    private final Provider provider;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private Pkcs11Signer(Provider provider, PrivateKey privateKey, X509Certificate certificate) {
        this.provider = provider;
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /**
     * A SunPKCS11 provider for one slot of a PKCS#11 library, configured but not registered with
     * {@link Security}: pass it to {@link #open} or {@link #generate}.
     *
     * @param name short name for the provider ({@code SunPKCS11-<name>}): letters, digits, {@code . _ -}
     * @param library the token's PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @param slotListIndex index of the slot in the library's list of slots with a token
     */
    public static Provider provider(String name, Path library, int slotListIndex) {
        if (name == null || !PROVIDER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "PKCS#11 provider name must be letters, digits, '.', '_' or '-': " + name);
        }
        if (slotListIndex < 0) {
            throw new IllegalArgumentException("PKCS#11 slot list index must not be negative: " + slotListIndex);
        }
        Path module = library.toAbsolutePath();
        if (!Files.isRegularFile(module)) {
            throw new IllegalArgumentException("PKCS#11 library not found: " + module);
        }
        Provider unconfigured = Security.getProvider("SunPKCS11");
        if (unconfigured == null) {
            throw new IllegalStateException("This JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        String config = "--name=" + name + "\nlibrary=" + module + "\nslotListIndex=" + slotListIndex + "\n"
                + PRIVATE_KEY_TEMPLATE;
        try {
            return unconfigured.configure(config);
        } catch (InvalidParameterException | ProviderException e) {
            throw new IllegalStateException("Cannot open slot list index " + slotListIndex + " of PKCS#11 library "
                    + module + ": " + rootMessage(e), e);
        }
    }

    /**
     * The private key and certificate stored under {@code alias} in the token's {@code PKCS11} key
     * store, after logging in with {@code pin}.
     *
     * @throws IllegalStateException if the login fails or the alias holds no key with a certificate
     */
    public static Pkcs11Signer open(Provider provider, char[] pin, String alias) {
        return read(login(provider, pin, alias), provider, alias);
    }

    /**
     * Generates a key pair inside the token, has {@code certify} build its certificate (from the
     * public key and a content signer on the new private key, so a root can sign itself) and stores
     * key and certificate under {@code alias}, where {@link #open} finds them again.
     *
     * @param keyAlgorithm {@code EC-P384} or {@code RSA-4096}; {@code EC-P256} and {@code RSA-2048} for
     *     tests. The content signer given to {@code certify} uses SHA256 for P-256 and SHA384 otherwise.
     * @throws IllegalStateException if the login fails, the alias is taken, or the token refuses
     */
    public static Pkcs11Signer generate(Provider provider, char[] pin, String alias, String keyAlgorithm,
            BiFunction<PublicKey, ContentSigner, X509Certificate> certify) {
        AlgorithmParameterSpec spec = keySpec(keyAlgorithm);
        KeyStore store = login(provider, pin, alias);
        try {
            if (store.containsAlias(alias)) {
                throw new IllegalStateException("Alias '" + alias + "' already exists in " + token(provider)
                        + "; refusing to overwrite it");
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance(
                    spec instanceof ECGenParameterSpec ? "EC" : "RSA", provider);
            generator.initialize(spec);
            KeyPair pair = generator.generateKeyPair();
            String digest = keyAlgorithm.equals("EC-P256") ? "SHA256" : "SHA384";
            X509Certificate certificate = Objects.requireNonNull(
                    certify.apply(pair.getPublic(), contentSigner(provider, pair.getPrivate(), digest)),
                    "certify returned no certificate");
            if (!Arrays.equals(certificate.getPublicKey().getEncoded(), pair.getPublic().getEncoded())) {
                throw new IllegalStateException("The certificate for alias '" + alias
                        + "' is not for the key generated in " + token(provider));
            }
            store.setKeyEntry(alias, pair.getPrivate(), null, new Certificate[] {certificate});
        } catch (GeneralSecurityException | ProviderException e) {
            throw new IllegalStateException("Cannot generate a " + keyAlgorithm + " key under alias '" + alias
                    + "' in " + token(provider) + ": " + rootMessage(e), e);
        }
        return read(store, provider, alias);
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public ContentSigner contentSigner(String digest) {
        return contentSigner(provider, privateKey, digest);
    }

    /** SunPKCS11 returns DER-encoded ECDSA signatures for {@code SHAxxxwithECDSA}, as X.509 needs. */
    private static ContentSigner contentSigner(Provider provider, PrivateKey key, String digest) {
        try {
            return new JcaContentSignerBuilder(Signer.signatureAlgorithm(key.getAlgorithm(), digest))
                    .setProvider(provider).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot sign with the " + key.getAlgorithm() + " key in "
                    + token(provider) + ": " + rootMessage(e), e);
        }
    }

    private static AlgorithmParameterSpec keySpec(String keyAlgorithm) {
        return switch (String.valueOf(keyAlgorithm)) {
            case "EC-P384" -> new ECGenParameterSpec("secp384r1");
            case "EC-P256" -> new ECGenParameterSpec("secp256r1");
            case "RSA-4096" -> new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4);
            case "RSA-2048" -> new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4);
            default -> throw new IllegalArgumentException("Unsupported key algorithm " + keyAlgorithm
                    + ": use EC-P384 or RSA-4096 (EC-P256 or RSA-2048 for tests)");
        };
    }

    private static KeyStore login(Provider provider, char[] pin, String alias) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, pin);
            return store;
        } catch (IOException | GeneralSecurityException | ProviderException e) {
            throw new IllegalStateException("Cannot log in to " + token(provider) + " for alias '" + alias
                    + "' (wrong PIN?): " + rootMessage(e), e);
        }
    }

    private static Pkcs11Signer read(KeyStore store, Provider provider, String alias) {
        try {
            Key key = store.getKey(alias, null);
            Certificate certificate = store.getCertificate(alias);
            if (!(key instanceof PrivateKey privateKey) || !(certificate instanceof X509Certificate x509)) {
                throw new IllegalStateException("No private key with a certificate under alias '" + alias + "' in "
                        + token(provider));
            }
            return new Pkcs11Signer(provider, privateKey, x509);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new IllegalStateException("Cannot read alias '" + alias + "' in " + token(provider) + ": "
                    + rootMessage(e), e);
        }
    }

    private static String token(Provider provider) {
        return "PKCS#11 token " + provider.getName() + " (" + provider.getInfo() + ")";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
