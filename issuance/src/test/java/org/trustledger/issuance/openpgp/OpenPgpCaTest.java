package org.trustledger.issuance.openpgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.S2K;
import org.bouncycastle.bcpg.SecretKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.generators.DSAKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.ElGamalKeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.crypto.params.DSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.DSAParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.ElGamalKeyGenerationParameters;
import org.bouncycastle.crypto.params.ElGamalParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA's OpenPGP key certifies only the verified user ids of a member's key. The main cases are checked by
 * GnuPG itself (skipped if {@code gpg} is not installed); the refusals and the key file need only Bouncy Castle.
 */
class OpenPgpCaTest {

    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final String CA_USER_ID = "Trust Ledger OpenPGP CA <openpgp-ca@trustledger.example>";
    private static final Set<String> NAMES = Set.of("Jane Doe");
    private static final Set<String> EMAILS = Set.of("jane@example.org");
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path caDir;

    private static Instant now;
    private static OpenPgpCa ca;

    @BeforeAll
    static void createCa() {
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ca = OpenPgpCa.loadOrCreate(caDir, PASSPHRASE, CA_USER_ID, Clock.fixed(now, ZoneOffset.UTC));
    }

    // --- checked by GnuPG ---

    @Test
    void gnupgSeesGoodCertificationsOnTheVerifiedUserIdsOnly(@TempDir Path tmp) throws Exception {
        Gpg member = Gpg.in(tmp.resolve("member"));
        try {
            String fpr = member.generate("Jane Doe <jane@example.org>", "rsa3072", "1y");
            for (String uid : List.of("Jane Doe", "<jane@example.org>", "jane@example.org",
                    "Mallory <mallory@evil.example>", "Jane Doe (work) <jane@example.org>")) {
                member.run("--quick-add-uid", fpr, uid);
            }
            member.run("--quick-add-key", fpr, "cv25519", "encr", "1y");
            long keyExpires = Long.parseLong(member.record("--list-keys", fpr, "pub")[6]);

            OpenPgpCa.SignedKey signed = caNow().sign(member.run("--export", "--armor", fpr), NAMES, EMAILS);

            assertThat(signed.fingerprint()).isEqualTo(fpr);
            List<String> allowed =
                    List.of("Jane Doe <jane@example.org>", "Jane Doe", "<jane@example.org>", "jane@example.org");
            assertThat(signed.signedUserIds()).containsExactlyInAnyOrderElementsOf(allowed);
            assertThat(signed.dropped()).extracting(OpenPgpCa.DroppedUserId::userId)
                    .containsExactlyInAnyOrder("Mallory <mallory@evil.example>", "Jane Doe (work) <jane@example.org>");
            assertThat(signed.certificationExpiresAt()).isEqualTo(Instant.ofEpochSecond(keyExpires));

            Gpg verifier = Gpg.in(tmp.resolve("verifier"));
            try {
                Map<String, List<String[]>> sigs = verifier.importAndCheckSigs(signed.armored(), fpr);
                assertThat(sigs.keySet()).containsExactlyInAnyOrderElementsOf(allowed);
                sigs.values().forEach(uidSigs -> assertGoodCaCertification(uidSigs, keyExpires));
                sigs.values().forEach(uidSigs -> assertThat(uidSigs).as("self-signature kept")
                        .anyMatch(s -> s[4].equals(fpr.substring(24)) && s[1].equals("!")));
                assertThat(verifier.record("--list-keys", fpr, "sub")).isNotNull();
            } finally {
                verifier.stopAgent();
            }
        } finally {
            member.stopAgent();
        }
    }

    @Test
    void gnupgSeesA366DayCertificationOnAnEd25519KeyWithoutExpiry(@TempDir Path tmp) throws Exception {
        Gpg member = Gpg.in(tmp.resolve("member"));
        try {
            String fpr = member.generate("Jane Doe <jane@example.org>", "ed25519", "never");
            Instant signedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            OpenPgpCa.SignedKey signed = caAt(signedAt).sign(member.run("--export", "--armor", fpr), NAMES, EMAILS);

            assertThat(signed.signedUserIds()).containsExactly("Jane Doe <jane@example.org>");
            assertThat(signed.dropped()).isEmpty();
            assertThat(signed.certificationExpiresAt()).isEqualTo(signedAt.plus(Duration.ofDays(366)));
            Gpg verifier = Gpg.in(tmp.resolve("verifier"));
            try {
                Map<String, List<String[]>> sigs = verifier.importAndCheckSigs(signed.armored(), fpr);
                assertThat(sigs.keySet()).containsExactly("Jane Doe <jane@example.org>");
                assertGoodCaCertification(sigs.get("Jane Doe <jane@example.org>"),
                        signed.certificationExpiresAt().getEpochSecond());
            } finally {
                verifier.stopAgent();
            }
        } finally {
            member.stopAgent();
        }
    }

    /** One {@code sig} record by the CA: good ({@code !}), class 0x13 exportable, expiring as given. */
    private static void assertGoodCaCertification(List<String[]> uidSigs, long expires) {
        String caKeyId = ca.fingerprint().substring(24);
        List<String[]> byCa = uidSigs.stream().filter(s -> s[4].equals(caKeyId)).toList();
        assertThat(byCa).hasSize(1);
        assertThat(byCa.get(0)[1]).as("validity").isEqualTo("!");
        assertThat(byCa.get(0)[10]).as("class").isEqualTo("13x");
        assertThat(byCa.get(0)[6]).as("expires").isEqualTo(Long.toString(expires));
    }

    // --- checked with Bouncy Castle ---

    @Test
    void certifiesOnlyUserIdsWithVerifiedNamesAndEmails() throws Exception {
        PGPKeyPair pair = ed25519(now);
        PGPPublicKey key = withUserIds(pair, now, 0, "Jane Doe <jane@example.org>", "Jane   Doe",
                "<JANE@Example.org>", "jane@example.org", "Mallory <mallory@evil.example>",
                "Jane Doe (work) <jane@example.org>", "Jane Doe <jane@example.org> extra",
                "Jane Doe <other@example.org>", "Janet Doe <jane@example.org>");

        OpenPgpCa.SignedKey signed = ca.sign(armor(new PGPPublicKeyRing(List.of(key)).getEncoded()), NAMES, EMAILS);

        assertThat(signed.signedUserIds()).containsExactly("Jane Doe <jane@example.org>", "Jane   Doe",
                "<JANE@Example.org>", "jane@example.org");
        assertThat(signed.dropped()).containsExactly(
                new OpenPgpCa.DroppedUserId("Mallory <mallory@evil.example>",
                        "email mallory@evil.example is not verified"),
                new OpenPgpCa.DroppedUserId("Jane Doe (work) <jane@example.org>",
                        "has a comment; only 'Name <email>', 'Name' and '<email>' are certified"),
                new OpenPgpCa.DroppedUserId("Jane Doe <jane@example.org> extra",
                        "is not of the form 'Name <email>', 'Name' or '<email>'"),
                new OpenPgpCa.DroppedUserId("Jane Doe <other@example.org>", "email other@example.org is not verified"),
                new OpenPgpCa.DroppedUserId("Janet Doe <jane@example.org>",
                        "name 'Janet Doe' is not one of the member's verified names"));
        assertThat(signed.certificationExpiresAt()).isEqualTo(now.plus(Duration.ofDays(366)));

        PGPPublicKey caKey = publicKey(ca.publicKeyArmored());
        PGPPublicKey certified = publicKey(signed.armored());
        List<String> userIds = new ArrayList<>();
        certified.getUserIDs().forEachRemaining(userIds::add);
        assertThat(userIds).isEqualTo(signed.signedUserIds());
        for (String userId : userIds) {
            List<PGPSignature> sigs = new ArrayList<>();
            certified.getSignaturesForID(userId).forEachRemaining(sigs::add);
            assertThat(sigs).extracting(PGPSignature::getKeyID).containsExactly(key.getKeyID(), caKey.getKeyID());
            PGPSignature certification = sigs.get(1);
            assertThat(certification.getSignatureType()).isEqualTo(PGPSignature.POSITIVE_CERTIFICATION);
            assertThat(certification.getHashAlgorithm()).isEqualTo(HashAlgorithmTags.SHA256);
            assertThat(certification.getCreationTime().toInstant()).isEqualTo(now);
            assertThat(certification.getHashedSubPackets().getSignatureExpirationTime())
                    .isEqualTo(Duration.ofDays(366).toSeconds());
            assertThat(certification.getHashedSubPackets().getIssuerFingerprint().getFingerprint())
                    .isEqualTo(caKey.getFingerprint());
            certification.init(new BcPGPContentVerifierBuilderProvider(), caKey);
            assertThat(certification.verifyCertification(userId, certified)).isTrue();
        }
    }

    @Test
    void dropsUserIdsTheOwnerRevoked() throws Exception {
        Instant created = now.minusSeconds(60);
        PGPKeyPair pair = ed25519(created);
        PGPPublicKey key = withUserIds(pair, created, 0, "Jane Doe <jane@example.org>", "Jane Doe");
        PGPSignatureGenerator revocation = signer(pair, PGPSignature.CERTIFICATION_REVOCATION, now, 0);
        key = PGPPublicKey.addCertification(key, "Jane Doe", revocation.generateCertification("Jane Doe", key));

        OpenPgpCa.SignedKey signed = ca.sign(armor(new PGPPublicKeyRing(List.of(key)).getEncoded()), NAMES, EMAILS);

        assertThat(signed.signedUserIds()).containsExactly("Jane Doe <jane@example.org>");
        assertThat(signed.dropped()).containsExactly(
                new OpenPgpCa.DroppedUserId("Jane Doe", "was revoked by the key's owner"));
    }

    @Test
    void certificationEndsWithTheKey() throws Exception {
        Instant created = now.minus(Duration.ofDays(300));
        PGPPublicKey key = withUserIds(ed25519(created), created, Duration.ofDays(365).toSeconds(), "Jane Doe");

        OpenPgpCa.SignedKey signed = ca.sign(armor(new PGPPublicKeyRing(List.of(key)).getEncoded()), NAMES, EMAILS);

        assertThat(signed.certificationExpiresAt()).isEqualTo(created.plus(Duration.ofDays(365)));
    }

    @Test
    void refusesGarbage() {
        assertRefused("hello, this is my key", "Not an ASCII-armored OpenPGP public key");
        assertRefused("", "No OpenPGP public key given");
        assertRefused("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5IGF0IGFsbA==\n"
                + "-----END PGP PUBLIC KEY BLOCK-----\n", "Not a valid OpenPGP public key");
    }

    @Test
    void refusesASecretKey() throws IOException {
        assertRefused(Files.readString(caDir.resolve(OpenPgpCa.KEY_FILE)), "This is a secret key");
    }

    @Test
    void refusesMoreThanOneKey() throws Exception {
        byte[] one = new PGPPublicKeyRing(List.of(withUserIds(ed25519(now), now, 0, "Jane Doe"))).getEncoded();
        byte[] two = new PGPPublicKeyRing(List.of(withUserIds(ed25519(now), now, 0, "Jane Doe"))).getEncoded();
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(one);
        both.write(two);
        assertRefused(armor(both.toByteArray()), "The input holds 2 keys");
        assertRefused(armor(one) + armor(two), "The input holds 2 armored blocks");
    }

    @Test
    void refusesMoreThan64KiB() {
        assertRefused("-----BEGIN PGP PUBLIC KEY BLOCK-----\n" + "A".repeat(64 * 1024), "at most 64 KiB");
    }

    @Test
    void refusesAnExpiredKey() throws Exception {
        Instant created = now.minus(Duration.ofDays(400));
        PGPPublicKey key = withUserIds(ed25519(created), created, Duration.ofDays(365).toSeconds(), "Jane Doe");
        assertRefused(armor(new PGPPublicKeyRing(List.of(key)).getEncoded()), "expired at");
    }

    @Test
    void refusesARevokedKey() throws Exception {
        PGPKeyPair pair = ed25519(now);
        PGPPublicKey key = withUserIds(pair, now, 0, "Jane Doe <jane@example.org>");
        PGPSignatureGenerator revocation = signer(pair, PGPSignature.KEY_REVOCATION, now, 0);
        key = PGPPublicKey.addCertification(key, revocation.generateCertification(key));
        assertRefused(armor(new PGPPublicKeyRing(List.of(key)).getEncoded()), "has been revoked by its owner");
    }

    @Test
    void refusesAKeyWithoutAllowedUserIds() throws Exception {
        PGPPublicKey key = withUserIds(ed25519(now), now, 0, "Mallory <mallory@evil.example>",
                "Jane Doe (work) <jane@example.org>");
        assertRefused(armor(new PGPPublicKeyRing(List.of(key)).getEncoded()),
                "none of the key's user ids match a verified name or email: "
                        + "\"Mallory <mallory@evil.example>\" email mallory@evil.example is not verified; "
                        + "\"Jane Doe (work) <jane@example.org>\" has a comment");
    }

    @Test
    void refusesWeakKeys() throws Exception {
        RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
        rsa.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, 1024, 80));
        assertRefused(bareKey(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair()),
                "RSA with 1024 bits is too weak; at least 2048 bits are required");

        DSAKeyPairGenerator dsa = new DSAKeyPairGenerator();
        dsa.init(new DSAKeyGenerationParameters(RANDOM,
                CryptoServicesRegistrar.<DSAParameters>getSizedProperty(
                        CryptoServicesRegistrar.Property.DSA_DEFAULT_PARAMS, 2048)));
        assertRefused(bareKey(PublicKeyAlgorithmTags.DSA, dsa.generateKeyPair()), "DSA keys are refused");

        DHParameters dh = CryptoServicesRegistrar.getSizedProperty(CryptoServicesRegistrar.Property.DH_DEFAULT_PARAMS,
                2048);
        ElGamalKeyPairGenerator elGamal = new ElGamalKeyPairGenerator();
        elGamal.init(new ElGamalKeyGenerationParameters(RANDOM, new ElGamalParameters(dh.getP(), dh.getG())));
        assertRefused(bareKey(PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, elGamal.generateKeyPair()),
                "ElGamal keys are refused");

        PGPKeyPair primary = ed25519(now);
        PGPKeyRingGenerator withWeakSubkey = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary,
                "Jane Doe", new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), null, null,
                new BcPGPContentSignerBuilder(primary.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), null);
        withWeakSubkey.addSubKey(new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                rsa.generateKeyPair(), Date.from(now)));
        assertRefused(armor(withWeakSubkey.generatePublicKeyRing().getEncoded()),
                "is refused: RSA with 1024 bits is too weak");
    }

    @Test
    void loadOrCreateReusesThePassphraseProtectedKey() throws Exception {
        OpenPgpCa again = OpenPgpCa.loadOrCreate(caDir, PASSPHRASE, "ignored", Clock.systemUTC());
        assertThat(again.fingerprint()).isEqualTo(ca.fingerprint()).matches("[0-9A-F]{40}");
        assertThat(again.publicKeyArmored()).isEqualTo(ca.publicKeyArmored());
        assertThat(publicKey(ca.publicKeyArmored()).getUserIDs().next()).isEqualTo(CA_USER_ID);

        Path file = caDir.resolve(OpenPgpCa.KEY_FILE);
        assertThat(Files.readString(file)).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
        PGPSecretKey secret = new PGPSecretKeyRing(PGPUtil.getDecoderStream(Files.newInputStream(file)),
                new BcKeyFingerprintCalculator()).getSecretKey();
        assertThat(secret.getS2KUsage()).isEqualTo(SecretKeyPacket.USAGE_SHA1);
        assertThat(secret.getKeyEncryptionAlgorithm()).isEqualTo(SymmetricKeyAlgorithmTags.AES_256);
        assertThat(secret.getS2K().getType()).isEqualTo(S2K.SALTED_AND_ITERATED);
        assertThat(secret.getPublicKey().getAlgorithm()).isEqualTo(PublicKeyAlgorithmTags.RSA_GENERAL);
        assertThat(secret.getPublicKey().getBitStrength()).isEqualTo(3072);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> OpenPgpCa.loadOrCreate(caDir, "wrong".toCharArray(), CA_USER_ID, Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot unlock the CA OpenPGP key in " + file + ": wrong passphrase");
    }

    // --- helpers ---

    private static void assertRefused(String armored, String message) {
        assertThatThrownBy(() -> ca.sign(armored, NAMES, EMAILS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static OpenPgpCa caNow() {
        return caAt(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The CA, loaded again with a clock at the given instant (after the member's key was made). */
    private static OpenPgpCa caAt(Instant instant) {
        return OpenPgpCa.loadOrCreate(caDir, PASSPHRASE, CA_USER_ID, Clock.fixed(instant, ZoneOffset.UTC));
    }

    private static PGPKeyPair ed25519(Instant created) throws PGPException {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(RANDOM));
        return new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY,
                generator.generateKeyPair(), Date.from(created));
    }

    /** The key of the pair with the user ids, each self-certified at the given time with the given expiry. */
    private static PGPPublicKey withUserIds(PGPKeyPair pair, Instant created, long expirySeconds, String... userIds)
            throws PGPException {
        PGPPublicKey key = pair.getPublicKey();
        for (String userId : userIds) {
            PGPSignatureGenerator generator =
                    signer(pair, PGPSignature.POSITIVE_CERTIFICATION, created, expirySeconds);
            key = PGPPublicKey.addCertification(key, userId, generator.generateCertification(userId, key));
        }
        return key;
    }

    private static PGPSignatureGenerator signer(PGPKeyPair pair, int type, Instant created, long keyExpirySeconds)
            throws PGPException {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
                pair.getPublicKey());
        generator.init(type, pair.getPrivateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(true, Date.from(created));
        hashed.setIssuerFingerprint(false, pair.getPublicKey());
        hashed.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
        if (keyExpirySeconds > 0) {
            hashed.setKeyExpirationTime(true, keyExpirySeconds);
        }
        generator.setHashedSubpackets(hashed.generate());
        return generator;
    }

    private static String bareKey(int algorithm, AsymmetricCipherKeyPair pair) throws Exception {
        PGPPublicKey key =
                new BcPGPKeyPair(PublicKeyPacket.VERSION_4, algorithm, pair, Date.from(now)).getPublicKey();
        return armor(key.getEncoded());
    }

    private static PGPPublicKey publicKey(String armored) throws IOException {
        return new PGPPublicKeyRing(PGPUtil.getDecoderStream(new ByteArrayInputStream(
                armored.getBytes(StandardCharsets.US_ASCII))), new BcKeyFingerprintCalculator()).getPublicKey();
    }

    private static String armor(byte[] encoded) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            armored.write(encoded);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** GnuPG with its own home directory, run in batch mode with an empty passphrase. */
    private record Gpg(Path home) {

        static Gpg in(Path home) throws IOException {
            Assumptions.assumeTrue(available(), "gpg is not installed");
            Files.createDirectories(home,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return new Gpg(home);
        }

        private static boolean available() {
            try {
                return new ProcessBuilder("gpg", "--version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }

        /** Generates a key and returns its fingerprint. */
        String generate(String userId, String algorithm, String expiry) throws Exception {
            run("--quick-gen-key", userId, algorithm, "sign", expiry);
            return record("--list-keys", userId, "fpr")[9];
        }

        /** The first colon-listing record of the given type. */
        String[] record(String command, String key, String type) throws Exception {
            for (String line : run("--with-colons", command, key).split("\n")) {
                if (line.startsWith(type + ":")) {
                    return line.split(":", -1);
                }
            }
            return null;
        }

        /**
         * Imports the CA's public key and the given key, then lists the key's signatures as GnuPG checked them:
         * user id to its {@code sig} records.
         */
        Map<String, List<String[]>> importAndCheckSigs(String armored, String fingerprint) throws Exception {
            Path caKey = Files.writeString(home.resolve("ca.asc"), ca.publicKeyArmored());
            Path key = Files.writeString(home.resolve("key.asc"), armored);
            run("--import", caKey.toString());
            run("--import", key.toString());
            Map<String, List<String[]>> sigs = new LinkedHashMap<>();
            List<String[]> current = null;
            for (String line : run("--with-colons", "--check-sigs", fingerprint).split("\n")) {
                String[] fields = line.split(":", -1);
                if (fields[0].equals("uid")) {
                    current = new ArrayList<>();
                    sigs.put(fields[9], current);
                } else if (fields[0].equals("sub")) {
                    current = null;
                } else if (fields[0].equals("sig") && current != null) {
                    current.add(fields);
                }
            }
            return sigs;
        }

        String run(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--pinentry-mode",
                    "loopback", "--passphrase", ""));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("stderr.log").toFile()));
            builder.environment().put("GNUPGHOME", home.toString());
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("gpg " + String.join(" ", args) + " failed:\n"
                        + Files.readString(home.resolve("stderr.log")));
            }
            return out;
        }

        void stopAgent() throws Exception {
            ProcessBuilder builder = new ProcessBuilder("gpgconf", "--kill", "gpg-agent")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("GNUPGHOME", home.toString());
            builder.start().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
