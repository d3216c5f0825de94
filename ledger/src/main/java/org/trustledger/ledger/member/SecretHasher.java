package org.trustledger.ledger.member;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Slow salted hashes for passphrases and security answers (DOMAIN.md section 1). Answers are
 * normalised (trimmed, case-folded) first so that "Paris " and "paris" match at recovery.
 */
public class SecretHasher {

    private final BCryptPasswordEncoder encoder;

    /** @param strength the BCrypt log2 cost; 10 or more in production, lower only in tests */
    public SecretHasher(int strength) {
        this.encoder = new BCryptPasswordEncoder(strength);
        this.dummyHash = encoder.encode("no account has this passphrase");
    }

    private final String dummyHash;

    /** Spends the time of one passphrase check, for answers about accounts that do not exist. */
    public void equaliseTiming() {
        encoder.matches("timing", dummyHash);
    }

    public String hashPassphrase(String passphrase) {
        return encoder.encode(preHash(passphrase));
    }

    public boolean passphraseMatches(String passphrase, String hash) {
        return encoder.matches(preHash(passphrase), hash);
    }

    public String hashAnswer(String answer) {
        return encoder.encode(preHash(normaliseAnswer(answer)));
    }

    public boolean answerMatches(String answer, String hash) {
        return encoder.matches(preHash(normaliseAnswer(answer)), hash);
    }

    /** BCrypt reads only 72 bytes; SHA-256 first lets a long passphrase count in full. */
    private static String preHash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String normaliseAnswer(String answer) {
        return answer.trim().toLowerCase(Locale.ROOT);
    }
}
