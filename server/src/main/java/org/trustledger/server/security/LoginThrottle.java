package org.trustledger.server.security;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * Brute-force protection for every credential check (login, token creation, recovery, identification
 * probes): failures are counted per account and per client address over a sliding 15-minute window (in
 * one-minute steps); past the limit, further attempts are refused until enough failures have left the
 * window, whatever the credentials. Kept in the database, so all nodes count together and a restart does
 * not reset it. Unknown accounts are counted like real ones.
 *
 * <p>An attempt is counted before the credentials are checked ({@link #begin}), with one atomic
 * increment per key, and given back when it succeeds: parallel requests cannot all pass a check made
 * before any of them had failed, so no more than the limit are ever checked in a window.
 */
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final long STEP_SECONDS = 60;
    private static final long STEPS = WINDOW.getSeconds() / STEP_SECONDS;
    private final MongoCollection<Document> failures;
    private final Object[] stripes = new Object[64];
    private final Clock clock;
    private final int maxPerAccount;
    private final int maxPerAddress;

    public LoginThrottle(MongoDatabase database, Clock clock, int maxPerAccount, int maxPerAddress) {
        MongoCollections.ensure(database, "credential_failures");
        this.failures = database.getCollection("credential_failures");
        java.util.Arrays.setAll(stripes, i -> new Object());
        this.clock = clock;
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * One credential check about to be made ({@code account} null: counted for the address only). Settle
     * it with {@link Attempt#failed()} or {@link Attempt#succeeded()}; closing it unsettled gives the
     * reservation back (the check did not happen or proved nothing).
     */
    public Attempt begin(String account, String address) {
        long step = step(clock.instant());
        String accountKey = account == null ? null : key("account", account);
        String addressKey = key("address", address);
        Optional<Instant> until = Optional.empty();
        if (accountKey != null) {
            until = reserve(accountKey, maxPerAccount, step);
        }
        if (until.isEmpty()) {
            until = reserve(addressKey, maxPerAddress, step);
            if (until.isPresent() && accountKey != null) {
                add(accountKey, step, -1);
            }
        }
        return new Attempt(until.isPresent() ? null : accountKey, until.isPresent() ? null : addressKey, step,
                until.orElse(null));
    }

    /** A reserved credential check; see {@link #begin}. */
    public final class Attempt implements AutoCloseable {

        private final String accountKey;
        private final String addressKey;
        private final long step;
        private final Instant refusedUntil;
        private boolean settled;

        private Attempt(String accountKey, String addressKey, long step, Instant refusedUntil) {
            this.accountKey = accountKey;
            this.addressKey = addressKey;
            this.step = step;
            this.refusedUntil = refusedUntil;
            this.settled = refusedUntil != null;
        }

        /** Whether the limit is reached: refuse without checking anything (nothing was counted). */
        public boolean refused() {
            return refusedUntil != null;
        }

        /** When the caller may try again, if {@link #refused()}. */
        public Instant until() {
            return refusedUntil;
        }

        /** The check failed: it stays counted. */
        public void failed() {
            settled = true;
        }

        /** The check passed: the address's count is given back and the account's count is cleared. */
        public void succeeded() {
            if (!settled) {
                settled = true;
                add(addressKey, step, -1);
                if (accountKey != null) {
                    failures.deleteOne(eq("_id", accountKey));
                }
            }
        }

        @Override
        public void close() {
            if (!settled) {
                settled = true;
                if (accountKey != null) {
                    add(accountKey, step, -1);
                }
                add(addressKey, step, -1);
            }
        }
    }

    /** When the caller may try again, if they are throttled now ({@code account} null: the address only). */
    public Optional<Instant> blockedUntil(String account, String address) {
        long step = step(clock.instant());
        Optional<Instant> a = account == null ? Optional.empty() : blocked(counts(key("account", account)), maxPerAccount, step);
        return a.isPresent() ? a : blocked(counts(key("address", address)), maxPerAddress, step);
    }

    /** Counts a failure that was not reserved with {@link #begin}. */
    public void failed(String account, String address) {
        long step = step(clock.instant());
        if (account != null) {
            add(key("account", account), step, 1);
        }
        add(key("address", address), step, 1);
    }

    /** A success clears the account's count (not the address's). */
    public void succeeded(String account) {
        failures.deleteOne(eq("_id", key("account", account)));
    }

    /** Counts this attempt atomically; if that goes past the limit, gives it back and says until when. */
    private Optional<Instant> reserve(String key, int max, long step) {
        Optional<Instant> until = blocked(add(key, step, 1), max + 1, step); // this attempt included
        if (until.isPresent()) {
            add(key, step, -1);
        }
        return until;
    }

    /** Past the limit when {@code max} or more are counted in the window; then until enough leave it. */
    private static Optional<Instant> blocked(Map<Long, Integer> counts, int max, long step) {
        int total = 0;
        for (Map.Entry<Long, Integer> c : counts.entrySet()) {
            if (c.getKey() > step - STEPS) {
                total += c.getValue();
            }
        }
        if (total < max) {
            return Optional.empty();
        }
        for (Map.Entry<Long, Integer> c : counts.entrySet()) {
            if (c.getKey() > step - STEPS) {
                total -= c.getValue();
                if (total < max) {
                    return Optional.of(Instant.ofEpochSecond((c.getKey() + STEPS) * STEP_SECONDS));
                }
            }
        }
        return Optional.of(Instant.ofEpochSecond((step + STEPS) * STEP_SECONDS));
    }

    /** Adds {@code delta} to this minute's count, atomically, and returns every minute's count after it. */
    private Map<Long, Integer> add(String key, long step, int delta) {
        Bson update = Updates.inc("m.s" + step, delta);
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER);
        Document after;
        // One key's updates are serialised in this JVM as well: the embedded server's findAndModify replies
        // can race under concurrency (README, embedded default); on MongoDB the update alone is atomic.
        synchronized (stripes[Math.floorMod(key.hashCode(), stripes.length)]) {
            try {
                after = failures.findOneAndUpdate(eq("_id", key), update, options);
            } catch (MongoWriteException | MongoCommandException e) {
                if (!duplicateKey(e)) {
                    throw e;
                }
                after = failures.findOneAndUpdate(eq("_id", key), update, options); // two first upserts raced
            }
        }
        Map<Long, Integer> counts = counts(after);
        List<String> stale = new ArrayList<>();
        counts.keySet().removeIf(s -> {
            boolean old = s <= step - STEPS;
            if (old) {
                stale.add("m.s" + s);
            }
            return old;
        });
        if (!stale.isEmpty()) {
            failures.updateOne(eq("_id", key), Updates.combine(stale.stream().map(Updates::unset).toList()));
        }
        return counts;
    }

    private Map<Long, Integer> counts(String key) {
        return counts(failures.find(eq("_id", key)).first());
    }

    private static Map<Long, Integer> counts(Document d) {
        Map<Long, Integer> counts = new TreeMap<>();
        if (d != null && d.get("m") instanceof Document m) {
            m.forEach((k, v) -> counts.put(Long.parseLong(k.substring(1)), ((Number) v).intValue()));
        }
        return counts;
    }

    private static boolean duplicateKey(RuntimeException e) {
        return e instanceof MongoWriteException w ? w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
                : ((MongoCommandException) e).getErrorCode() == 11000;
    }

    private static long step(Instant now) {
        return now.getEpochSecond() / STEP_SECONDS;
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
