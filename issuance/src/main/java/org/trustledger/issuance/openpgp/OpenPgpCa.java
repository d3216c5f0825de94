package org.trustledger.issuance.openpgp;

import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.DSA;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.ECDH;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.ECDSA;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.EDDSA_LEGACY;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.ELGAMAL_GENERAL;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.Ed25519;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.Ed448;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.RSA_ENCRYPT;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.RSA_GENERAL;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.RSA_SIGN;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.X25519;
import static org.bouncycastle.bcpg.PublicKeyAlgorithmTags.X448;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SecretKeyPacket;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.bouncycastle.util.encoders.Hex;

/**
 * The CA's OpenPGP key, and what it does (DOMAIN.md section 7): certify the user ids of an Assured
 * member's OpenPGP public key that carry a verified name and a verified email ({@code Jane Doe
 * <jane@example.org>}), a verified name alone ({@code Jane Doe}) or a verified email alone
 * ({@code <jane@example.org>} or {@code jane@example.org}). Every other user id is dropped from the
 * signed copy. A certification expires after 366 days, or with the key if that is sooner.
 */
public final class OpenPgpCa {

    /** The file, in the key directory, that holds the CA's passphrase-protected secret key. */
    public static final String KEY_FILE = "openpgp-ca.asc";
    /** The largest armored key {@link #sign} accepts. */
    public static final int MAX_KEY_BYTES = 64 * 1024;
    /** The longest a certification lasts. */
    public static final Duration CERTIFICATION_LIFETIME = Duration.ofDays(366);

    private static final int CA_RSA_BITS = 3072;
    private static final int MIN_RSA_BITS = 2048;
    private static final int MIN_EC_BITS = 256;
    /** Iterated and salted S2K count byte: 16 MiB of SHA-256 per unlock. */
    private static final int S2K_COUNT = 0xE0;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BcKeyFingerprintCalculator FINGERPRINTS = new BcKeyFingerprintCalculator();
    private static final BcPGPDigestCalculatorProvider DIGESTS = new BcPGPDigestCalculatorProvider();
    private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();
    private static final String PUBLIC_KEY_HEADER = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    private static final String SECRET_KEY_HEADER = "-----BEGIN PGP PRIVATE KEY BLOCK-----";
    private static final String SECRET_KEY_GIVEN =
            "This is a secret key: upload only the public key (gpg --export --armor), never the secret one";
    private static final Pattern EMAIL = Pattern.compile("[^\\s<>()@]+@[^\\s<>()@]+");
    private static final Pattern ANGLE_EMAIL = Pattern.compile("<([^<>]*)>");
    private static final Pattern NAME_AND_EMAIL = Pattern.compile("([^<>]+?)\\s*<([^<>]*)>");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final PGPPublicKey publicKey;
    private final PGPPrivateKey privateKey;
    private final String publicKeyArmored;
    private final Clock clock;

    /**
     * A member's key as certified by the CA.
     *
     * @param armored the key with only the certified user ids, each with its self-signatures and the CA's
     *     certification, and the subkeys
     * @param fingerprint the key's fingerprint, hex upper-case
     * @param signedUserIds the user ids the CA certified
     * @param dropped the user ids left out, and why
     * @param certificationExpiresAt when the CA's certifications expire
     */
    public record SignedKey(String armored, String fingerprint, List<String> signedUserIds,
            List<DroppedUserId> dropped, Instant certificationExpiresAt) {
        public SignedKey {
            signedUserIds = List.copyOf(signedUserIds);
            dropped = List.copyOf(dropped);
        }
    }

    /** A user id the CA did not certify, and why. */
    public record DroppedUserId(String userId, String reason) {}

    /** A user id of a member's key with its valid self-signatures. */
    private record UserId(byte[] raw, String text, List<PGPSignature> selfSignatures) {

        Optional<PGPSignature> latest(Predicate<PGPSignature> filter) {
            return selfSignatures.stream().filter(filter).max(Comparator.comparing(PGPSignature::getCreationTime));
        }

        Optional<PGPSignature> latestCertification() {
            return latest(PGPSignature::isCertification);
        }

        boolean revoked() {
            Optional<PGPSignature> revocation =
                    latest(s -> s.getSignatureType() == PGPSignature.CERTIFICATION_REVOCATION);
            return revocation.isPresent() && latestCertification()
                    .map(c -> !revocation.get().getCreationTime().before(c.getCreationTime())).orElse(true);
        }
    }

    private OpenPgpCa(PGPSecretKeyRing ring, PGPPrivateKey privateKey, Clock clock) throws IOException {
        this.publicKey = ring.getPublicKey();
        this.privateKey = privateKey;
        this.publicKeyArmored = armor(ring.toCertificate().getEncoded(true));
        this.clock = clock;
    }

    /**
     * Loads the CA's OpenPGP key from {@code dir/openpgp-ca.asc} (an armored secret key ring protected with the
     * passphrase: AES-256, iterated and salted SHA-256 S2K), generating it on first use: an RSA 3072 key for
     * certifying and signing with the given user id, created at the clock's time.
     *
     * @throws IllegalStateException if the file cannot be unlocked with the passphrase or is not protected
     * @throws UncheckedIOException if the file cannot be read or written
     */
    public static OpenPgpCa loadOrCreate(Path dir, char[] passphrase, String userId, Clock clock) {
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(clock, "clock");
        Path file = dir.resolve(KEY_FILE);
        try {
            PGPSecretKeyRing ring = Files.exists(file) ? read(file) : create(file, passphrase, userId, clock);
            PGPSecretKey secret = ring.getSecretKey();
            if (secret.getS2KUsage() == SecretKeyPacket.USAGE_NONE) {
                throw new IllegalStateException("The CA OpenPGP key in " + file + " is not passphrase protected");
            }
            return new OpenPgpCa(ring, unlock(secret, passphrase, file), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the CA OpenPGP key " + file, e);
        }
    }

    /** The CA's public key, armored. */
    public String publicKeyArmored() {
        return publicKeyArmored;
    }

    /** The v4 fingerprint of the CA's key, hex upper-case. */
    public String fingerprint() {
        return hex(publicKey.getFingerprint());
    }

    /**
     * Certifies the user ids of an armored OpenPGP public key that carry only a verified name and/or a verified
     * email, and returns the key with those user ids alone. Names match one of {@code nameVariants} after
     * trimming and collapsing spaces; emails match {@code verifiedEmails} ignoring case.
     *
     * @throws IllegalArgumentException if the input is not exactly one armored public key of at most 64 KiB, the
     *     key is weak, expired or revoked, or none of its user ids may be certified
     */
    public SignedKey sign(String armoredPublicKey, Set<String> nameVariants, Set<String> verifiedEmails) {
        Set<String> names = nameVariants.stream().map(OpenPgpCa::normalizeName).collect(Collectors.toSet());
        Set<String> emails = verifiedEmails.stream().map(OpenPgpCa::normalizeEmail).collect(Collectors.toSet());
        List<PGPPublicKey> keys = new ArrayList<>();
        parse(armoredPublicKey).getPublicKeys().forEachRemaining(keys::add);
        PGPPublicKey primary = keys.get(0);
        String fingerprint = hex(primary.getFingerprint());
        if (primary.getVersion() != 4) {
            throw new IllegalArgumentException("Key " + fingerprint + " is an OpenPGP v" + primary.getVersion()
                    + " key; only v4 keys are accepted");
        }
        for (PGPPublicKey key : keys) {
            String weakness = weakness(key, key == primary);
            if (weakness != null) {
                throw new IllegalArgumentException((key == primary ? "Key " + fingerprint
                        : "Subkey " + hex(key.getFingerprint()) + " of key " + fingerprint) + " is refused: "
                        + weakness);
            }
        }

        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<PGPSignature> directSignatures = selfSignatures(primary.getKeySignatures(), primary, null, now);
        if (directSignatures.stream().anyMatch(s -> s.getSignatureType() == PGPSignature.KEY_REVOCATION)) {
            throw new IllegalArgumentException("Key " + fingerprint + " has been revoked by its owner");
        }
        List<UserId> userIds = userIds(primary, now);
        Instant keyExpiry = keyExpiry(primary, directSignatures, userIds);
        if (keyExpiry != null && !keyExpiry.isAfter(now)) {
            throw new IllegalArgumentException("Key " + fingerprint + " expired at " + keyExpiry);
        }

        List<UserId> allowed = new ArrayList<>();
        List<DroppedUserId> dropped = new ArrayList<>();
        for (UserId id : userIds) {
            String refusal = refusal(id, names, emails);
            if (refusal == null) {
                allowed.add(id);
            } else {
                dropped.add(new DroppedUserId(id.text(), refusal));
            }
        }
        if (primary.getUserAttributes().hasNext()) {
            dropped.add(new DroppedUserId("[user attribute]", "photo ids and other user attributes are not certified"));
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("none of the key's user ids match a verified name or email: "
                    + dropped.stream().map(d -> "\"" + d.userId() + "\" " + d.reason())
                            .collect(Collectors.joining("; ")));
        }

        Instant expiresAt = now.plus(CERTIFICATION_LIFETIME);
        if (keyExpiry != null && keyExpiry.isBefore(expiresAt)) {
            expiresAt = keyExpiry;
        }
        try {
            PGPPublicKey certified = primary.copyMinimal(FINGERPRINTS);
            for (PGPSignature signature : directSignatures) {
                certified = PGPPublicKey.addCertification(certified, signature);
            }
            for (UserId id : allowed) {
                for (PGPSignature signature : id.selfSignatures()) {
                    certified = PGPPublicKey.addCertification(certified, id.raw(), signature);
                }
                certified = PGPPublicKey.addCertification(certified, id.raw(),
                        certification(id.text(), primary, now, expiresAt));
            }
            keys.set(0, certified);
            return new SignedKey(armor(new PGPPublicKeyRing(keys).getEncoded(true)), fingerprint,
                    allowed.stream().map(UserId::text).toList(), dropped, expiresAt);
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("Cannot certify key " + fingerprint + ": " + e.getMessage(), e);
        }
    }

    private PGPSignature certification(String userId, PGPPublicKey key, Instant now, Instant expiresAt)
            throws PGPException {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256), publicKey);
        generator.init(PGPSignature.POSITIVE_CERTIFICATION, privateKey);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(true, Date.from(now));
        hashed.setSignatureExpirationTime(true, Duration.between(now, expiresAt).getSeconds());
        hashed.setIssuerFingerprint(false, publicKey);
        generator.setHashedSubpackets(hashed.generate());
        return generator.generateCertification(userId, key);
    }

    /** The one public key ring in the armored text, or an {@link IllegalArgumentException} saying what is wrong. */
    private static PGPPublicKeyRing parse(String armored) {
        if (armored == null || armored.isBlank()) {
            throw new IllegalArgumentException("No OpenPGP public key given");
        }
        byte[] bytes = armored.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("The key is " + bytes.length + " bytes long; at most 64 KiB ("
                    + MAX_KEY_BYTES + " bytes) are accepted");
        }
        if (armored.contains(SECRET_KEY_HEADER)) {
            throw new IllegalArgumentException(SECRET_KEY_GIVEN);
        }
        if (!armored.contains(PUBLIC_KEY_HEADER)) {
            throw new IllegalArgumentException("Not an ASCII-armored OpenPGP public key: expected a block starting "
                    + "with " + PUBLIC_KEY_HEADER + " (gpg --export --armor)");
        }
        int blocks = armored.split("-----BEGIN PGP ", -1).length - 1;
        if (blocks > 1) {
            throw new IllegalArgumentException("The input holds " + blocks + " armored blocks; give exactly one key");
        }
        List<Object> objects = new ArrayList<>();
        try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(bytes))) {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
            for (Object object = factory.nextObject(); object != null; object = factory.nextObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not a valid OpenPGP public key: " + e.getMessage(), e);
        }
        if (objects.stream().anyMatch(PGPSecretKeyRing.class::isInstance)) {
            throw new IllegalArgumentException(SECRET_KEY_GIVEN);
        }
        long keys = objects.stream().filter(PGPPublicKeyRing.class::isInstance).count();
        if (keys > 1) {
            throw new IllegalArgumentException("The input holds " + keys + " keys; give exactly one key");
        }
        if (keys == 0 || objects.size() > 1) {
            throw new IllegalArgumentException("Not a valid OpenPGP public key: the armored block holds "
                    + objects.stream().map(o -> o.getClass().getSimpleName()).toList() + " instead of one key");
        }
        return (PGPPublicKeyRing) objects.get(0);
    }

    /**
     * Why a primary key or subkey is too weak or of a refused kind, or {@code null} if it is fine. The RSA and
     * ElGamal variants that RFC 9580 deprecates still occur in old keys, hence the suppressed warning.
     */
    @SuppressWarnings("deprecation")
    private static String weakness(PGPPublicKey key, boolean primary) {
        int bits = key.getBitStrength();
        return switch (key.getAlgorithm()) {
            case RSA_GENERAL, RSA_SIGN, RSA_ENCRYPT -> {
                if (primary && key.getAlgorithm() == RSA_ENCRYPT) {
                    yield "an encrypt-only RSA key cannot certify its user ids";
                }
                yield bits < MIN_RSA_BITS ? "RSA with " + bits + " bits is too weak; at least " + MIN_RSA_BITS
                        + " bits are required" : null;
            }
            case ECDSA, ECDH -> {
                if (primary && key.getAlgorithm() == ECDH) {
                    yield "an ECDH key cannot certify its user ids";
                }
                yield bits < MIN_EC_BITS ? "elliptic curve of " + bits + " bits is unknown or too weak" : null;
            }
            case EDDSA_LEGACY, Ed25519, Ed448 -> null;
            case X25519, X448 -> primary ? "an X25519/X448 key cannot certify its user ids" : null;
            case DSA -> "DSA keys are refused; use RSA (2048 bits or more), ECDSA or Ed25519";
            case ELGAMAL_ENCRYPT, ELGAMAL_GENERAL -> "ElGamal keys are refused; use RSA, ECDH or X25519";
            default -> "public key algorithm " + key.getAlgorithm() + " is not supported";
        };
    }

    /** The user ids of the key with their valid self-signatures, in the key's order. */
    private static List<UserId> userIds(PGPPublicKey primary, Instant now) {
        List<UserId> userIds = new ArrayList<>();
        for (Iterator<byte[]> it = primary.getRawUserIDs(); it.hasNext(); ) {
            byte[] raw = it.next();
            userIds.add(new UserId(raw, new String(raw, StandardCharsets.UTF_8),
                    selfSignatures(primary.getSignaturesForID(raw), primary, raw, now)));
        }
        return userIds;
    }

    /**
     * The v4 signatures that the key made on itself (userId {@code null}) or on a user id, that verify and have
     * not expired.
     */
    private static List<PGPSignature> selfSignatures(Iterator<PGPSignature> signatures, PGPPublicKey primary,
            byte[] userId, Instant now) {
        List<PGPSignature> valid = new ArrayList<>();
        while (signatures != null && signatures.hasNext()) {
            PGPSignature signature = signatures.next();
            if (signature.hasSubpackets() && signature.hasKeyIdentifier(primary.getKeyIdentifier())
                    && !expired(signature, now) && verifies(signature, primary, userId)) {
                valid.add(signature);
            }
        }
        return valid;
    }

    private static boolean expired(PGPSignature signature, Instant now) {
        long lifetime = signature.getHashedSubPackets().getSignatureExpirationTime();
        return lifetime > 0 && !signature.getCreationTime().toInstant().plusSeconds(lifetime).isAfter(now);
    }

    private static boolean verifies(PGPSignature signature, PGPPublicKey primary, byte[] userId) {
        try {
            signature.init(VERIFIERS, primary);
            return userId == null ? signature.verifyCertification(primary)
                    : signature.verifyCertification(userId, primary);
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }

    /**
     * When the key expires, as GnuPG reads it: from the latest direct-key self-signature if that states it, else
     * from the latest self-certification, over the user ids that are not revoked, that states one; {@code null}
     * if the key does not expire.
     */
    private static Instant keyExpiry(PGPPublicKey primary, List<PGPSignature> directSignatures,
            List<UserId> userIds) {
        Optional<PGPSignature> direct = directSignatures.stream()
                .filter(s -> s.getSignatureType() == PGPSignature.DIRECT_KEY)
                .max(Comparator.comparing(PGPSignature::getCreationTime))
                .filter(s -> s.getHashedSubPackets().getSubpacket(SignatureSubpacketTags.KEY_EXPIRE_TIME) != null);
        Optional<PGPSignature> source = direct.isPresent() ? direct : userIds.stream()
                .filter(id -> !id.revoked())
                .flatMap(id -> id.latestCertification().stream())
                .filter(s -> s.getHashedSubPackets().getKeyExpirationTime() > 0)
                .max(Comparator.comparing(PGPSignature::getCreationTime));
        long seconds = source.map(s -> s.getHashedSubPackets().getKeyExpirationTime()).orElse(0L);
        return seconds == 0 ? null : primary.getCreationTime().toInstant().plusSeconds(seconds);
    }

    /** Why a user id may not be certified, or {@code null} if it may. */
    private static String refusal(UserId userId, Set<String> names, Set<String> emails) {
        String text = userId.text();
        if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), userId.raw())) {
            return "is not valid UTF-8";
        }
        if (userId.latestCertification().isEmpty()) {
            return "has no valid self-signature";
        }
        if (userId.revoked()) {
            return "was revoked by the key's owner";
        }
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            return "contains control or invisible formatting characters";
        }
        String id = text.strip();
        if (id.indexOf('(') >= 0 || id.indexOf(')') >= 0) {
            return "has a comment; only 'Name <email>', 'Name' and '<email>' are certified";
        }
        String name = null;
        String email = null;
        Matcher matcher;
        if ((matcher = ANGLE_EMAIL.matcher(id)).matches()) {
            email = matcher.group(1);
        } else if (EMAIL.matcher(id).matches()) {
            email = id;
        } else if ((matcher = NAME_AND_EMAIL.matcher(id)).matches()) {
            name = matcher.group(1);
            email = matcher.group(2);
        } else if (id.chars().noneMatch(c -> c == '<' || c == '>' || c == '@')) {
            name = id;
        } else {
            return "is not of the form 'Name <email>', 'Name' or '<email>'";
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            return "'" + email + "' is not an email address";
        }
        if (email != null && !emails.contains(normalizeEmail(email))) {
            return "email " + email + " is not verified";
        }
        if (name != null && !names.contains(normalizeName(name))) {
            return "name '" + name + "' is not one of the member's verified names";
        }
        return null;
    }

    private static String normalizeName(String name) {
        return SPACES.matcher(name.strip()).replaceAll(" ");
    }

    private static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static PGPSecretKeyRing read(Path file) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            return new PGPSecretKeyRing(in, FINGERPRINTS);
        } catch (PGPException e) {
            throw new IllegalStateException("The CA OpenPGP key file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static PGPPrivateKey unlock(PGPSecretKey secret, char[] passphrase, Path file) {
        try {
            return secret.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(DIGESTS).build(passphrase));
        } catch (PGPException e) {
            throw new IllegalStateException("Cannot unlock the CA OpenPGP key in " + file
                    + ": wrong passphrase (" + e.getMessage() + ")", e);
        }
    }

    private static PGPSecretKeyRing create(Path file, char[] passphrase, String userId, Clock clock)
            throws IOException {
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("The CA OpenPGP key needs a non-empty passphrase");
        }
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("The CA OpenPGP key needs a user id");
        }
        Date now = Date.from(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(RSAKeyGenParameterSpec.F4, RANDOM, CA_RSA_BITS, 128));
        PGPSecretKeyRing ring;
        try {
            PGPKeyPair pair =
                    new BcPGPKeyPair(PublicKeyPacket.VERSION_4, RSA_GENERAL, generator.generateKeyPair(), now);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(true, now);
            hashed.setIssuerFingerprint(false, pair.getPublicKey());
            hashed.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setPrimaryUserID(false, true);
            hashed.setPreferredHashAlgorithms(false,
                    new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
            hashed.setPreferredSymmetricAlgorithms(false,
                    new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            ring = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                    DIGESTS.get(HashAlgorithmTags.SHA1), hashed.generate(), null,
                    new BcPGPContentSignerBuilder(RSA_GENERAL, HashAlgorithmTags.SHA256),
                    new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256,
                            DIGESTS.get(HashAlgorithmTags.SHA256), S2K_COUNT).setSecureRandom(RANDOM)
                            .build(passphrase))
                    .generateSecretKeyRing();
        } catch (PGPException e) {
            throw new IllegalStateException("Cannot generate the CA OpenPGP key: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(dir, KEY_FILE, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, KEY_FILE, ".tmp");
        Files.writeString(temporary, armor(ring.getEncoded()), StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return ring;
    }

    private static String armor(byte[] encoded) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            armored.write(encoded);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] bytes) {
        return Hex.toHexString(bytes).toUpperCase(Locale.ROOT);
    }
}
