package org.trustledger.issuance.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Pkcs11Signer} against a fresh SoftHSM2 token. SoftHSM2 reads its configuration from the
 * environment variable {@code SOFTHSM2_CONF}, which surefire sets; the test writes that file (and
 * never overwrites one it did not write) and skips where SoftHSM2 or the variable is missing.
 */
class Pkcs11SignerTest {

    private static final List<Path> LIBRARIES = Stream.of(
                    "/usr/lib/softhsm/libsofthsm2.so",
                    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
                    "/usr/local/lib/softhsm/libsofthsm2.so",
                    "/opt/homebrew/lib/softhsm/libsofthsm2.so")
            .map(Path::of).toList();
    private static final String MARKER = "# Written by Pkcs11SignerTest; deleted and rewritten on every run.";
    private static final String TOKEN = "trust-ledger-test";
    private static final char[] PIN = "1234".toCharArray();

    private static Path library;
    private static Provider provider;

    @BeforeAll
    static void initToken() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        assumeTrue(conf != null && !conf.isBlank(), "SOFTHSM2_CONF is not set");
        library = LIBRARIES.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(library != null, "No SoftHSM2 library in " + LIBRARIES);
        assumeTrue(onPath("softhsm2-util"), "softhsm2-util is not installed");

        Path confFile = Path.of(conf).toAbsolutePath();
        assumeTrue(!Files.exists(confFile) || Files.readString(confFile).startsWith(MARKER),
                confFile + " was not written by this test; not touching it");
        Path tokens = confFile.resolveSibling("tokens");
        if (Files.exists(tokens)) {
            try (Stream<Path> files = Files.walk(tokens)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(confFile, MARKER + "\ndirectories.tokendir = " + tokens
                + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        run(confFile.getParent(), "softhsm2-util", "--init-token", "--free", "--label", TOKEN,
                "--pin", new String(PIN), "--so-pin", "5678");
        provider = Pkcs11Signer.provider(TOKEN, library, 0);
    }

    @ParameterizedTest
    @CsvSource({"ec-root, EC-P384", "rsa-root, RSA-2048"})
    void rootGeneratedInTokenSignsLeafThatOpensslAccepts(String alias, String keyAlgorithm, @TempDir Path dir)
            throws Exception {
        Pkcs11Signer generated =
                Pkcs11Signer.generate(provider, PIN, alias, keyAlgorithm, Pkcs11SignerTest::selfSignedCa);
        X509Certificate root = generated.certificate();
        root.verify(root.getPublicKey());

        Pkcs11Signer reopened = Pkcs11Signer.open(Pkcs11Signer.provider(TOKEN + "-reopened", library, 0), PIN, alias);
        assertThat(reopened.certificate()).isEqualTo(root);

        KeyPair leafKey = KeyPairGenerator.getInstance("EC").genKeyPair();
        X509Certificate leaf = leaf(root, leafKey.getPublic(), reopened.contentSigner("SHA384"));
        leaf.verify(root.getPublicKey());
        assertThat(leaf.getSigAlgName()).isEqualToIgnoringCase(keyAlgorithm.startsWith("EC")
                ? "SHA384withECDSA" : "SHA384withRSA");

        Path caPem = writePem(dir.resolve("ca.pem"), root);
        Path leafPem = writePem(dir.resolve("leaf.pem"), leaf);
        assumeTrue(onPath("openssl"), "openssl is not installed");
        assertThat(run(dir, "openssl", "verify", "-x509_strict", "-CAfile", caPem.toString(), leafPem.toString()))
                .isEqualTo(leafPem + ": OK");
    }

    @Test
    void privateKeyStaysInTheToken() throws Exception {
        Pkcs11Signer.generate(provider, PIN, "sealed", "EC-P256", Pkcs11SignerTest::selfSignedCa);

        KeyStore store = KeyStore.getInstance("PKCS11", provider);
        store.load(null, PIN);
        PrivateKey key = (PrivateKey) store.getKey("sealed", null);
        assertThat(key.getEncoded()).isNull();
        assertThat(key).isNotInstanceOf(ECPrivateKey.class);
        assertThat(key.toString()).contains("token object, sensitive, unextractable");
    }

    @Test
    void generateRefusesToOverwriteAnAlias() {
        Pkcs11Signer.generate(provider, PIN, "taken", "EC-P256", Pkcs11SignerTest::selfSignedCa);

        assertThatThrownBy(() ->
                        Pkcs11Signer.generate(provider, PIN, "taken", "EC-P256", Pkcs11SignerTest::selfSignedCa))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'taken' already exists")
                .hasMessageContaining(TOKEN);
    }

    @Test
    void wrongPinAndUnknownAliasFailClearly() throws Exception {
        Pkcs11Signer.generate(provider, PIN, "guarded", "EC-P256", Pkcs11SignerTest::selfSignedCa);
        // Login state is per process and token: without a logout, SunPKCS11 would not check the PIN at all.
        ((AuthProvider) provider).logout();

        assertThatThrownBy(() -> Pkcs11Signer.open(provider, "0000".toCharArray(), "guarded"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot log in")
                .hasMessageContaining("'guarded'")
                .hasMessageContaining(TOKEN)
                .hasMessageContaining("CKR_PIN_INCORRECT");
        assertThatThrownBy(() -> Pkcs11Signer.open(provider, PIN, "no-such-key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No private key with a certificate under alias 'no-such-key'")
                .hasMessageContaining(TOKEN);
    }

    private static X509Certificate selfSignedCa(PublicKey publicKey, ContentSigner signer) {
        try {
            X500Name name = new X500Name("CN=Trust Ledger Test Root,O=trust-ledger");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))),
                    name, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate leaf(X509Certificate issuer, PublicKey publicKey, ContentSigner signer)
            throws Exception {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.TWO,
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(90))),
                new X500Name("CN=leaf.example.org"), publicKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, "leaf.example.org")))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuer));
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static Path writePem(Path file, X509Certificate certificate) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(certificate);
        }
        return file;
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    /** Runs a command (inheriting SOFTHSM2_CONF) and returns its trimmed output; fails unless it exits 0. */
    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        assertThat(process.exitValue()).as("%s exit status; output:%n%s", String.join(" ", command), output).isZero();
        return output;
    }
}
