package org.trustledger.server.security;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * Brute-force protection for every credential check (login, token creation, recovery): failures are
 * counted per account and per client address in a 15-minute window; past the limit, further attempts are
 * refused until the window ends, whatever the credentials. Kept in the database, so all nodes count
 * together and a restart does not reset it. Unknown accounts are counted like real ones.
 */
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    private final MongoCollection<Document> failures;
    private final Clock clock;
    private final int maxPerAccount;
    private final int maxPerAddress;

    public LoginThrottle(MongoDatabase database, Clock clock, int maxPerAccount, int maxPerAddress) {
        MongoCollections.ensure(database, "credential_failures");
        this.failures = database.getCollection("credential_failures");
        this.clock = clock;
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
    }

    /** When the caller may try again, if they are throttled now ({@code account} null: the address only). */
    public Optional<Instant> blockedUntil(String account, String address) {
        Instant now = clock.instant();
        Optional<Instant> a = account == null ? Optional.empty() : blocked(key("account", account), maxPerAccount, now);
        Optional<Instant> b = blocked(key("address", address), maxPerAddress, now);
        return a.isPresent() ? a : b;
    }

    public void failed(String account, String address) {
        Instant now = clock.instant();
        if (account != null) {
            count(key("account", account), now);
        }
        count(key("address", address), now);
    }

    /** A success clears the account's count (not the address's). */
    public void succeeded(String account) {
        failures.deleteOne(eq("_id", key("account", account)));
    }

    private Optional<Instant> blocked(String key, int max, Instant now) {
        Document d = failures.find(eq("_id", key)).first();
        if (d == null) {
            return Optional.empty();
        }
        Instant end = d.getDate("windowStart").toInstant().plus(WINDOW);
        return d.getInteger("count") >= max && end.isAfter(now) ? Optional.of(end) : Optional.empty();
    }

    private void count(String key, Instant now) {
        Document d = failures.find(eq("_id", key)).first();
        boolean fresh = d == null || d.getDate("windowStart").toInstant().plus(WINDOW).isBefore(now);
        int count = fresh ? 1 : d.getInteger("count") + 1;
        Date start = fresh ? Date.from(now) : d.getDate("windowStart");
        failures.replaceOne(eq("_id", key), new Document("_id", key).append("count", count).append("windowStart", start),
                new ReplaceOptions().upsert(true));
    }

    /** The client address of the current HTTP request (GraphQL over HTTP), for the per-address count. */
    public static String clientAddress() {
        return org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes a
                ? a.getRequest().getRemoteAddr() : "unknown";
    }

    private static String key(String kind, String value) {
        return kind + ":" + (value == null ? "" : value.strip().toLowerCase(Locale.ROOT));
    }
}
