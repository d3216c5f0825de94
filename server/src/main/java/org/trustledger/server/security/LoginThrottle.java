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
import org.trustledger.server.config.StoreDurability;

/**
 * Brute-force protection for every credential check (login, token creation, recovery, identification
 * probes): failures are counted per account and per client address over a sliding 15-minute window (in
 * one-minute steps); past the limit, further attempts are refused until enough failures have left the
 * window, whatever the credentials. Kept in the database, so all nodes count together and a restart does
 * not reset it. Unknown accounts are counted like real ones.
 *
 * <p>An attempt is reserved before the credentials are checked ({@link #begin}), with one atomic
 * increment per key, and settled afterwards (a failure, or given back): an attempt goes ahead only if
 * the failures in the window plus the checks under way stay within the limit, and otherwise waits for
 * them to settle. Parallel requests cannot all pass a check made before any of them had failed, so no
 * more than the limit are ever checked; parallel requests that succeed are never refused.
 *
 * <p>A counted failure is durable before the caller goes on ({@link StoreDurability}): a crash and restart
 * does not give back tries. Reservations, their release and the clearing after a success are not waited
 * for: a crash ends the checks under way too, a reservation that did reach the disk holds others back
 * for two minutes at most, and failures not cleared only err on the safe side. Forcing each of them to
 * disk inside the per-key lock had made every request of one client address wait for two commits in
 * turn, behind each other (bench/README.md: assurances held at about 250 a second).
 */
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final long STEP_SECONDS = 60;
    private static final long STEPS = WINDOW.getSeconds() / STEP_SECONDS;
    /** A check under way counts for two minutes at most: one whose node died stops holding others back then. */
    private static final long PENDING_STEPS = 2;
    private final MongoCollection<Document> failures;
    private final StoreDurability durability;
    private final Object[] stripes = new Object[64];
    private final Clock clock;
    private final int maxPerAccount;
    private final int maxPerAddress;

    public LoginThrottle(MongoDatabase database, StoreDurability durability, Clock clock, int maxPerAccount,
                         int maxPerAddress) {
        MongoCollections.ensure(database, "credential_failures");
        this.failures = database.getCollection("credential_failures");
        this.durability = durability;
        java.util.Arrays.setAll(stripes, i -> new Object());
        this.clock = clock;
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * One credential check about to be made ({@code account} null: counted for the address only). Settle
     * it with {@link Attempt#failed()} or {@link Attempt#succeeded()}; closing it unsettled gives the
     * reservation back (the check did not happen or proved nothing). While the checks already under way
     * could, if they all failed, reach the limit together with this one, this one waits for them to
     * settle instead of being checked alongside: parallel attempts never check more than the limit, and
     * parallel attempts that succeed are never refused for being many.
     */
    public Attempt begin(String account, String address) {
        String accountKey = account == null ? null : key("account", account);
        String addressKey = key("address", address);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (true) {
            long step = step(clock.instant());
            Verdict a = accountKey == null ? Verdict.GO : reserve(accountKey, maxPerAccount, step);
            Verdict b = a.go() ? reserve(addressKey, maxPerAddress, step) : Verdict.GO;
            if (a.go() && b.go()) {
                return new Attempt(accountKey, addressKey, step, null);
            }
            if (a.go() && accountKey != null) {
                add(accountKey, "p", step, -1);
            }
            Instant until = a.refusedUntil() != null ? a.refusedUntil() : b.refusedUntil();
            if (until == null && System.nanoTime() > deadline) {
                until = clock.instant().plusSeconds(STEP_SECONDS); // the checks under way did not settle
            }
            if (until != null) {
                return new Attempt(null, null, step, until);
            }
            try {
                Thread.sleep(WAIT_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Attempt(null, null, step, clock.instant().plusSeconds(STEP_SECONDS));
            }
        }
    }

    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    private static final long WAIT_STEP_MILLIS = 5;

    /** Go ahead (reserved), refused until an instant, or wait (neither: nothing reserved). */
    private record Verdict(boolean go, Instant refusedUntil) {
        static final Verdict GO = new Verdict(true, null);
        static final Verdict WAIT = new Verdict(false, null);
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

        /** The check failed: it counts as a failure. */
        public void failed() {
            if (!settled) {
                settled = true;
                long now = step(clock.instant());
                if (accountKey != null) {
                    fail(accountKey, step, now);
                }
                fail(addressKey, step, now);
                durability.awaitDurable();
            }
        }

        /**
         * The check passed: both reservations are given back and the account's failures are cleared (not
         * the checks of that account still under way).
         */
        public void succeeded() {
            if (!settled) {
                settled = true;
                add(addressKey, "p", step, -1);
                if (accountKey != null) {
                    update(accountKey, Updates.combine(Updates.unset("f"), Updates.inc("p.s" + step, -1)), step);
                }
            }
        }

        @Override
        public void close() {
            if (!settled) {
                settled = true;
                if (accountKey != null) {
                    add(accountKey, "p", step, -1);
                }
                add(addressKey, "p", step, -1);
            }
        }
    }

    /** When the caller may try again, if they are throttled now ({@code account} null: the address only). */
    public Optional<Instant> blockedUntil(String account, String address) {
        long step = step(clock.instant());
        Optional<Instant> a = account == null ? Optional.empty()
                : blocked(counts(failures.find(eq("_id", key("account", account))).first(), "f"), maxPerAccount, step);
        return a.isPresent() ? a : blocked(counts(failures.find(eq("_id", key("address", address))).first(), "f"),
                maxPerAddress, step);
    }

    /** Counts a failure that was not reserved with {@link #begin}. */
    public void failed(String account, String address) {
        long step = step(clock.instant());
        if (account != null) {
            add(key("account", account), "f", step, 1);
        }
        add(key("address", address), "f", step, 1);
        durability.awaitDurable();
    }

    /** A success clears the account's failures (not the address's). */
    public void succeeded(String account) {
        failures.updateOne(eq("_id", key("account", account)), Updates.unset("f"));
    }

    /**
     * Reserves this attempt with one atomic increment of the key's pending count, then judges from what
     * the increment returned: refused when the failures in the window have reached the limit; told to
     * wait when the failures plus the checks under way (this one included) pass it. Either way the
     * reservation is given back.
     */
    private Verdict reserve(String key, int max, long step) {
        Document after = update(key, Updates.inc("p.s" + step, 1), step);
        int failed = sum(counts(after, "f"), step - STEPS);
        int pending = sum(counts(after, "p"), step - PENDING_STEPS);
        Optional<Instant> refused = blocked(counts(after, "f"), max, step);
        if (refused.isEmpty() && failed + pending <= max) {
            return Verdict.GO;
        }
        add(key, "p", step, -1);
        return refused.map(until -> new Verdict(false, until)).orElse(Verdict.WAIT);
    }

    /** A reserved check failed: one failure counted now, its reservation (made at {@code reserved}) given back. */
    private void fail(String key, long reserved, long now) {
        update(key, Updates.combine(Updates.inc("f.s" + now, 1), Updates.inc("p.s" + reserved, -1)), now);
    }

    /** Past the limit when {@code max} or more failures are in the window; then until enough leave it. */
    private static Optional<Instant> blocked(Map<Long, Integer> counts, int max, long step) {
        int total = sum(counts, step - STEPS);
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

    private static int sum(Map<Long, Integer> counts, long after) {
        int total = 0;
        for (Map.Entry<Long, Integer> c : counts.entrySet()) {
            if (c.getKey() > after) {
                total += c.getValue();
            }
        }
        return total;
    }

    private void add(String key, String field, long step, int delta) {
        update(key, Updates.inc(field + ".s" + step, delta), step);
    }

    /**
     * Applies {@code update} to the key's document atomically and returns the document after it; counts
     * that have left their window are removed afterwards.
     */
    private Document update(String key, Bson update, long step) {
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
        List<Bson> stale = new ArrayList<>();
        counts(after, "f").keySet().stream().filter(s -> s <= step - STEPS).forEach(s -> stale.add(Updates.unset("f.s" + s)));
        counts(after, "p").keySet().stream().filter(s -> s <= step - PENDING_STEPS)
                .forEach(s -> stale.add(Updates.unset("p.s" + s)));
        if (!stale.isEmpty()) {
            failures.updateOne(eq("_id", key), Updates.combine(stale));
        }
        return after;
    }

    private static Map<Long, Integer> counts(Document d, String field) {
        Map<Long, Integer> counts = new TreeMap<>();
        if (d != null && d.get(field) instanceof Document m) {
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
