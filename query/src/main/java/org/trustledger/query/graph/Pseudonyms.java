package org.trustledger.query.graph;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * Stable pseudonyms for the public trust graph: {@code p-} and 16 bytes of HMAC-SHA-256 of the member
 * id under a secret kept in the database (one per ledger, shared by every node). The same member has
 * the same pseudonym in every graph and export; only the server can map one back.
 */
public class Pseudonyms {

    private final byte[] secret;
    private final MongoCollection<Document> reverse;
    private final MongoCollection<Document> members;

    public Pseudonyms(MongoDatabase database, SecureRandom random) {
        MongoCollections.ensure(database, "ledger_settings", "pseudonyms");
        MongoCollection<Document> settings = database.getCollection("ledger_settings");
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        try {
            settings.insertOne(new Document("_id", "pseudonym-secret")
                    .append("value", Base64.getEncoder().encodeToString(fresh)));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        this.secret = Base64.getDecoder().decode(settings.find(eq("_id", "pseudonym-secret")).first().getString("value"));
        this.reverse = database.getCollection("pseudonyms");
        this.members = database.getCollection("member_view");
    }

    public String of(String memberId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] out = mac.doFinal(memberId.getBytes(StandardCharsets.UTF_8));
            return "p-" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(out, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Remembers the pseudonym of a member shown in a graph, so a client may name it as a centre. */
    public String remember(String memberId) {
        String p = of(memberId);
        reverse.replaceOne(eq("_id", p), new Document("_id", p).append("memberId", memberId),
                new ReplaceOptions().upsert(true));
        return p;
    }

    /**
     * The member behind a pseudonym: from the ones graphs have shown, else by trying every member
     * (a one-off scan, e.g. a centre taken from an export).
     */
    public Optional<String> memberOf(String pseudonym) {
        if (pseudonym == null || !pseudonym.startsWith("p-")) {
            return Optional.empty();
        }
        Document d = reverse.find(eq("_id", pseudonym)).first();
        if (d != null) {
            return Optional.of(d.getString("memberId"));
        }
        for (Document m : members.find().projection(new Document("_id", 1))) {
            if (of(m.getString("_id")).equals(pseudonym)) {
                remember(m.getString("_id"));
                return Optional.of(m.getString("_id"));
            }
        }
        return Optional.empty();
    }
}
