package org.trustledger.ledger.member;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * Email tokens that the event store alone cannot forge: the ledger records only a random nonce, and
 * the token mailed out is {@code nonce.HMAC(secret, member, email, nonce)}. The secret lives in the
 * database (one per ledger, shared by every node) and is made on first use.
 */
public class EmailTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random;
    private final byte[] secret;

    public EmailTokens(MongoDatabase database, SecureRandom random) {
        this.random = random;
        MongoCollections.ensure(database, "ledger_settings");
        this.secret = loadOrCreateSecret(database.getCollection("ledger_settings"), random);
    }

    private static byte[] loadOrCreateSecret(MongoCollection<Document> settings, SecureRandom random) {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        try {
            settings.insertOne(new Document("_id", "email-token-secret").append("value", B64.encodeToString(fresh)));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document doc = settings.find(Filters.eq("_id", "email-token-secret")).first();
        return Base64.getUrlDecoder().decode(doc.getString("value"));
    }

    public String newNonce() {
        byte[] n = new byte[18];
        random.nextBytes(n);
        return B64.encodeToString(n);
    }

    public String token(String memberId, String email, String nonce) {
        return nonce + "." + mac(memberId, email, nonce);
    }

    /** The nonce of a well-formed token, before its MAC is checked against the member and email. */
    public Optional<String> nonceOf(String token) {
        if (token == null || token.length() > 128) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        return dot <= 0 ? Optional.empty() : Optional.of(token.substring(0, dot));
    }

    /** Who a token was issued to, once its MAC is checked: the owner id, what it is for, and its nonce. */
    public record Issued(String ownerId, String subject, String nonce) {
    }

    /**
     * The owner and subject of a well-formed token whose subject starts with {@code subjectPrefix}
     * (the prefix removed), or empty when the token is unknown, forged or for something else.
     */
    public Optional<Issued> resolve(String token, EmailRegistry nonces, String subjectPrefix) {
        return nonceOf(token).flatMap(nonce -> nonces.nonceOwner(nonce)
                .filter(owner -> owner[1].startsWith(subjectPrefix) && matches(token, owner[0], owner[1], nonce))
                .map(owner -> new Issued(owner[0], owner[1].substring(subjectPrefix.length()), nonce)));
    }

    public boolean matches(String token, String memberId, String email, String nonce) {
        byte[] expected = token(memberId, email, nonce).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String memberId, String email, String nonce) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] out = hmac.doFinal((memberId + "\n" + email + "\n" + nonce).getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(java.util.Arrays.copyOf(out, 20));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
