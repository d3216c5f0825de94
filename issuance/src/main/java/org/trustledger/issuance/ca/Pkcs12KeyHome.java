package org.trustledger.issuance.ca;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import java.util.function.BiFunction;
import org.bouncycastle.operator.ContentSigner;

/**
 * CA keys in one PKCS#12 file protected by a passphrase (the JDK writes PBES2 with AES-256 and
 * HMAC-SHA-256), readable only by the owner. Each new key is written out at once, through a temporary
 * file and an atomic rename, so a crash never leaves a half-written key store.
 */
public final class Pkcs12KeyHome implements KeyHome {

    private final Path file;
    private final char[] passphrase;
    private final KeyStore store;

    public Pkcs12KeyHome(Path file, char[] passphrase) {
        this.file = file;
        this.passphrase = passphrase.clone();
        try {
            store = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, this.passphrase);
                }
            } else {
                store.load(null, null);
            }
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalStateException("Cannot open the CA key store " + file
                        + ": wrong passphrase (trustledger.issuance.key-passphrase).", e);
            }
            throw new IllegalStateException("Cannot read the CA key store " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the CA key store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Signer> load(String alias) {
        try {
            if (!store.isKeyEntry(alias)) {
                return Optional.empty();
            }
            PrivateKey key = (PrivateKey) store.getKey(alias, passphrase);
            return Optional.of(new SoftwareSigner(key, (X509Certificate) store.getCertificate(alias)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read key '" + alias + "' from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Signer create(String alias, String keyAlgorithm,
                         BiFunction<PublicKey, ContentSigner, X509Certificate> certify) {
        KeyPair pair = generate(keyAlgorithm);
        X509Certificate certificate = certify.apply(pair.getPublic(), SoftwareSigner.signerFor(pair.getPrivate(), "SHA384"));
        try {
            store.setKeyEntry(alias, pair.getPrivate(), passphrase, new Certificate[] {certificate});
            save();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot store key '" + alias + "' in " + file + ": " + e.getMessage(), e);
        }
        return new SoftwareSigner(pair.getPrivate(), certificate);
    }

    /** A key pair in software: {@code EC-P384}, {@code EC-P256}, {@code RSA-4096}, {@code RSA-2048}... */
    public static KeyPair generate(String keyAlgorithm) {
        try {
            String[] parts = keyAlgorithm.split("-", 2);
            KeyPairGenerator generator;
            if (parts[0].equals("EC") && parts.length == 2) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(parts[1].equals("P256") ? "secp256r1"
                        : parts[1].equals("P384") ? "secp384r1" : "unsupported"), new SecureRandom());
            } else if (parts[0].equals("RSA") && parts.length == 2) {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(Integer.parseInt(parts[1]), new SecureRandom());
            } else {
                throw new IllegalArgumentException("Unsupported key algorithm " + keyAlgorithm);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException | NumberFormatException e) {
            throw new IllegalArgumentException("Unsupported key algorithm " + keyAlgorithm + ": " + e.getMessage(), e);
        }
    }

    private void save() throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            store.store(out, passphrase);
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: permissions are the platform's business
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
