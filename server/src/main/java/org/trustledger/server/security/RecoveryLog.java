package org.trustledger.server.security;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.trustledger.ledger.eventstore.MongoCollections;
import org.trustledger.ledger.rules.Emails;

/**
 * Every passphrase recovery attempt, whatever became of it (DOMAIN.md section 1): the ledger records
 * the attempts on an account as events, but an address nobody has, an unknown recovery id or a throttled
 * attempt touches no account. This log holds them all, with the client address, for support.
 */
public class RecoveryLog {

    public static final int MAX_READ = 100;
    private final MongoCollection<Document> log;
    private final Clock clock;

    public RecoveryLog(MongoDatabase database, Clock clock) {
        MongoCollections.ensure(database, "recovery_attempts");
        this.log = database.getCollection("recovery_attempts");
        this.clock = clock;
    }

    /** One attempt as support reads it; {@code outcome} is OK or the refusal code answered. */
    public record Attempt(Instant at, String step, String email, String recoveryId, String address, String outcome) {
    }

    /** Step 1, for an address ({@code recoveryId}: the recovery it started, if it did). */
    public void started(String email, String recoveryId, String address, String outcome) {
        insert("START", email == null ? null : Emails.normalise(email), recoveryId, address, outcome);
    }

    /** Step 2, for a recovery id; linked to the address that started it, if any did. */
    public void completed(String recoveryId, String address, String outcome) {
        Document start = recoveryId == null ? null
                : log.find(new Document("step", "START").append("recoveryId", recoveryId)).first();
        insert("COMPLETE", start == null ? null : start.getString("email"), recoveryId, address, outcome);
    }

    /** The attempts about this address, newest first: both steps, also those for recoveries it started. */
    public List<Attempt> about(String email, int first) {
        String normalised = Emails.normalise(email);
        List<Attempt> result = new ArrayList<>();
        log.find(or(eq("email", normalised), in("recoveryId", recoveryIds(normalised))))
                .sort(Sorts.descending("_id")).limit(Math.min(first, MAX_READ)).forEach(d -> result.add(new Attempt(
                        d.getDate("at").toInstant(), d.getString("step"), d.getString("email"), d.getString("recoveryId"),
                        d.getString("address"), d.getString("outcome"))));
        return result;
    }

    private List<String> recoveryIds(String email) {
        List<String> ids = new ArrayList<>();
        log.find(new Document("step", "START").append("email", email)).forEach(d -> {
            if (d.getString("recoveryId") != null) {
                ids.add(d.getString("recoveryId"));
            }
        });
        return ids;
    }

    private void insert(String step, String email, String recoveryId, String address, String outcome) {
        log.insertOne(new Document("_id", new ObjectId()).append("at", Date.from(clock.instant())).append("step", step)
                .append("email", email).append("recoveryId", recoveryId).append("address", address)
                .append("outcome", outcome));
    }
}
