package org.trustledger.issuance.status;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.types.Binary;
import org.trustledger.ledger.eventstore.MongoCollections;
import org.trustledger.issuance.api.CaId;

/**
 * Pre-signed OCSP responses, one per certificate and issuing CA ({@code ocsp_responses}, {@code _id}
 * "class3/<serial hex>"), shared by every node: a response is signed once and served until half its
 * validity has passed, as large CAs serve theirs (RFC 5019), instead of being signed for every request.
 *
 * <p>A revocation must never be hidden behind a "good" response signed a moment before it. The
 * certificate register writes a tombstone ({@code revoked: true}, no response) when it applies a
 * revocation, after it has recorded the revocation itself; a "good" response is stored only where no
 * tombstone is, so a response signed from the register just before the revocation loses the race
 * (its insert hits the tombstone's key) and the next request signs "revoked".
 *
 * <p>Each node keeps what it read or wrote in memory ({@link #CACHED_GOOD_FOR} for a "good" response,
 * for good once revoked): the store's query was a third of an OCSP answer's CPU (bench/README, figure
 * 6). One instance per node, shared by the register (whose revocations replace the entry at once) and
 * the responder. A revocation applied by another node's register reaches this node's answers at most
 * {@link #CACHED_GOOD_FOR} after its tombstone is written.
 */
public class OcspResponseStore {

    static final String COLLECTION = "ocsp_responses";
    /** How long a "good" response read from the store is served from memory before it is read again. */
    public static final Duration CACHED_GOOD_FOR = Duration.ofSeconds(1);
    /** Entries kept in memory; past it, "good" ones are dropped (then all, if still past it). */
    static final int MAX_CACHED = 50_000;
    private final MongoCollection<Document> responses;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /** A stored response as this node last saw it, and until when (System.nanoTime) a "good" one may be served. */
    private record Cached(Stored stored, long goodUntil) {
    }

    public OcspResponseStore(MongoDatabase database) {
        MongoCollections.ensure(database, COLLECTION);
        this.responses = database.getCollection(COLLECTION);
    }

    /** A stored response: its DER (null for a bare tombstone), when it was produced, and whether it says revoked. */
    public record Stored(byte[] der, Instant producedAt, boolean revoked) {
    }

    static String id(CaId ca, BigInteger serial) {
        return ca.slug() + "/" + serial.toString(16);
    }

    public Optional<Stored> find(CaId ca, BigInteger serial) {
        String id = id(ca, serial);
        Cached cached = cache.get(id);
        if (cached != null && (cached.stored().revoked() || System.nanoTime() - cached.goodUntil() < 0)) {
            return Optional.of(cached.stored());
        }
        Document d = responses.find(eq("_id", id)).first();
        if (d == null) {
            return Optional.empty();
        }
        Stored stored = stored(d);
        remember(id, stored);
        return Optional.of(stored);
    }

    /**
     * Keeps what was read or written; never lets a "good" response replace a revoked one or a tombstone
     * (a read from before a revocation may finish after it).
     */
    private void remember(String id, Stored stored) {
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(c -> !c.stored().revoked());
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        long goodUntil = System.nanoTime() + CACHED_GOOD_FOR.toNanos();
        cache.compute(id, (key, before) -> before != null && before.stored().revoked() && !stored.revoked() ? before
                : new Cached(stored, goodUntil));
    }

    private static Stored stored(Document d) {
        Binary der = d.get("der", Binary.class);
        Date at = d.getDate("producedAt");
        return new Stored(der == null ? null : der.getData(), at == null ? null : at.toInstant(),
                Boolean.TRUE.equals(d.getBoolean("revoked")));
    }

    /**
     * Stores a freshly signed response. A "good" one never replaces a tombstone or a "revoked" one; a
     * "revoked" one replaces anything.
     */
    public void store(CaId ca, BigInteger serial, byte[] der, Instant producedAt, boolean revoked) {
        Document doc = new Document("_id", id(ca, serial)).append("der", new Binary(der))
                .append("producedAt", Date.from(producedAt)).append("revoked", revoked);
        try {
            responses.replaceOne(revoked ? eq("_id", doc.get("_id")) : and(eq("_id", doc.get("_id")), ne("revoked", true)),
                    doc, new ReplaceOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // a tombstone is there: the certificate was revoked while this "good" response was signed
            cache.remove(doc.getString("_id"));
            return;
        }
        remember(doc.getString("_id"), new Stored(der, producedAt, revoked));
    }

    /** The register applied a revocation: whatever was pre-signed for the certificate is void. */
    public void revoke(CaId ca, BigInteger serial) {
        String id = id(ca, serial);
        responses.replaceOne(eq("_id", id), new Document("_id", id).append("revoked", true),
                new ReplaceOptions().upsert(true));
        cache.put(id, new Cached(new Stored(null, null, true), System.nanoTime()));
    }

    /** Forgets every pre-signed response (the register is being rebuilt from the ledger). */
    public void clear() {
        responses.deleteMany(new Document());
        cache.clear();
    }

    /** Each stored response's CA and serial, for the background refresh. */
    public void forEach(java.util.function.BiConsumer<CaId, BigInteger> each) {
        responses.find().projection(new Document("_id", 1)).forEach((Consumer<Document>) d -> {
            String id = d.getString("_id");
            int slash = id.indexOf('/');
            each.accept(CaId.ofSlug(id.substring(0, slash)), new BigInteger(id.substring(slash + 1), 16));
        });
    }
}
