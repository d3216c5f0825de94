package org.trustledger.server.security;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * Bearer tokens for API clients: 256 random bits shown once, stored only as their SHA-256
 * ({@code api_tokens}, {@code _id} the hash), expiring, revocable by their owner. The id clients see
 * is the first 16 hex digits of the hash.
 */
public class ApiTokens {

    static final String PREFIX = "tl_";
    static final Duration MAX_VALIDITY = Duration.ofDays(90);
    private final MongoCollection<Document> tokens;
    private final SecureRandom random;
    private final Clock clock;

    public ApiTokens(MongoDatabase database, SecureRandom random, Clock clock) {
        MongoCollections.ensure(database, "api_tokens", "api_token_ids");
        this.tokens = database.getCollection("api_tokens");
        this.ids = database.getCollection("api_token_ids");
        this.random = random;
        this.clock = clock;
    }

    private final MongoCollection<Document> ids;

    /** A token as its owner sees it; {@code secret} only at creation. */
    public record Token(String id, String memberId, String label, Instant createdAt, Instant expiresAt, boolean revoked,
                        String secret) {
    }

    public Token create(String memberId, String label, Duration validity) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String hash = sha256(secret);
        Instant now = clock.instant();
        Instant expires = now.plus(validity.compareTo(MAX_VALIDITY) > 0 ? MAX_VALIDITY : validity);
        String cleanLabel = label == null || label.isBlank() ? "api" : label.strip();
        tokens.insertOne(new Document("_id", hash).append("memberId", memberId).append("label", cleanLabel)
                .append("createdAt", Date.from(now)).append("expiresAt", Date.from(expires)).append("revoked", false));
        ids.updateOne(eq("_id", memberId), Updates.addToSet("hashes", hash), new com.mongodb.client.model.UpdateOptions()
                .upsert(true));
        return new Token(hash.substring(0, 16), memberId, cleanLabel, now, expires, false, secret);
    }

    /** The member a presented token stands for, if it is known, unexpired and not revoked. */
    public Optional<String> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        Document d = tokens.find(eq("_id", sha256(secret))).first();
        if (d == null || d.getBoolean("revoked") || d.getDate("expiresAt").toInstant().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(d.getString("memberId"));
    }

    public List<Token> of(String memberId) {
        List<Token> result = new ArrayList<>();
        Document index = ids.find(eq("_id", memberId)).first();
        if (index != null) {
            tokens.find(com.mongodb.client.model.Filters.in("_id", index.getList("hashes", String.class)))
                    .forEach(d -> result.add(view(d)));
        }
        return result;
    }

    /** Revokes the member's token with this id; false when the member has none such. */
    public boolean revoke(String memberId, String id) {
        for (Token t : of(memberId)) {
            if (t.id().equals(id)) {
                Document index = ids.find(eq("_id", memberId)).first();
                for (String hash : index.getList("hashes", String.class)) {
                    if (hash.startsWith(id)) {
                        tokens.updateOne(eq("_id", hash), Updates.set("revoked", true));
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static Token view(Document d) {
        return new Token(d.getString("_id").substring(0, 16), d.getString("memberId"), d.getString("label"),
                d.getDate("createdAt").toInstant(), d.getDate("expiresAt").toInstant(), d.getBoolean("revoked"), null);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
