package org.trustledger.ledger.eventstore;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Axon {@link org.axonframework.eventsourcing.eventstore.EventStorageEngine} on MongoDB, built like
 * Axon's JdbcEventStorageEngine but for a store without transactions or useful secondary indexes.
 *
 * <p>Layout (collection {@code events}, one document per event):
 * <ul>
 *   <li>{@code _id} is the global index, taken by inserting at the next free index (the unique
 *       primary key arbitrates between writers). Writers on different nodes may write out of order,
 *       leaving gaps that fill late; readers follow them with a
 *       {@link GapAwareTrackingToken} and poll by exact {@code _id $in [...]}, which MongoDB and the
 *       embedded server both answer from the primary key, whatever the size of the store.</li>
 *   <li>{@code aggSeq} ("aggregate/sequence") carries a unique index: it is the optimistic lock (a
 *       second writer of the same sequence number fails with a duplicate key) and the exact key by
 *       which an aggregate's events are loaded ({@code aggSeq $in [...]}), never a range scan.</li>
 *   <li>A unit of work that appends several events (an assurance touches two members) must become
 *       visible all or nothing, and there are no multi-document transactions to rely on. Each event
 *       names its batch; events of a batch larger than one count only once a marker document for the
 *       batch (string {@code _id} "batch:<first index>") exists in the same collection, written after all
 *       of them, normally in the same ordered insert, so an append is one round trip. A batch that failed half way
 *       is deleted again before anyone could see it; one abandoned by a crashed writer is reclaimed
 *       when it blocks a later append.</li>
 * </ul>
 * Snapshots live in {@code snapshots}, one per aggregate, replaced by newer ones.
 */
public class MongoEventStorageEngine extends BatchingEventStorageEngine {

    private static final Logger log = LoggerFactory.getLogger(MongoEventStorageEngine.class);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final String COUNTER_ID = "events";
    /** Lowest global index; the first event gets 1, as in the JDBC engine. */
    private static final long LOWEST_INDEX = 1;
    /** How many empty windows a reader scans ahead per poll when a range was allocated but never written. */
    private static final int MAX_EMPTY_WINDOWS = 64;

    private final MongoCollection<Document> events;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> counters;
    private final int maxGapOffset;
    private final Duration gapTimeout;
    private final Duration abandonedBatchTimeout;
    private final Clock clock;
    /** Whether this engine is, for now, the store's only writer (see {@link Builder#soleWriter}). */
    private final java.util.function.BooleanSupplier soleWriter;
    /**
     * The highest global index this node has allocated or seen taken: it allocates above it. Besides its
     * own allocations it takes in every event it loads or reads, and, as one of several writers, the shared
     * head now and then ({@link #catchUpWithHead}). A node must never write below an event it has seen:
     * the global order would then put an aggregate's next event before the one it follows, and readers that
     * went past the index long ago would never look at it again.
     */
    private final AtomicLong nextIndex = new AtomicLong();
    /** When, in the engine's clock's milliseconds, a writer sharing the store next looks up the head. */
    private final AtomicLong nextHeadCheck = new AtomicLong();
    /** How often: well within the gap timeout, which readers wait for a hole to fill. */
    private final long headCheckEveryMs;
    /** The highest index this node has written (the shared head is raised only now and then). */
    private final AtomicLong headRaisedTo = new AtomicLong();
    private static final int HEAD_STRIDE = 32;
    /** The last sequence number found or appended per aggregate, where {@link #lastSequenceNumberFor}'s probes start. */
    private final Map<String, Long> lastFound = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SEQUENCE_HINTS = 200_000;
    /**
     * Multi-event batches known to be complete (their marker was written or found). A marker is never
     * removed once written, so the fact stays true; a reader skips looking it up again (an assurance's
     * events, read by every processor and every load of either member, each needed one more lookup).
     */
    private final Set<Long> completeBatches = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_COMPLETE_BATCHES = 200_000;
    /**
     * The visible events of the most recent {@value #RECENT_EVENTS} global indexes that this node wrote or
     * read, in a ring by index (a slot holds the last event seen at any index of its residue). An event
     * never changes once visible, so a reader takes it from here instead of the store: the processors
     * all read the same events, within moments of each other when live and in step during a rebuild.
     *
     * <p>An event is kept for {@value #RECENT_FOR_MS} ms at most ({@link #sweepRecent}): the readers that
     * share it come within that time, and an event held longer only held memory that nobody read again:
     * at live rates (a hundred events a second) the ring held each event for minutes, tens of megabytes
     * of live heap under issuance load (bench/README.md, "Measured on 2026-12-05 (morning)"; the young
     * collections' pauses did not measurably change with it).
     */
    private final AtomicReferenceArray<Document> recent = new AtomicReferenceArray<>(RECENT_EVENTS);
    private static final int RECENT_EVENTS = 1 << 15;
    /** When each slot of {@link #recent} was last filled, in the engine's clock's milliseconds. */
    private final AtomicLongArray recentAt = new AtomicLongArray(RECENT_EVENTS);
    /** How long an event stays in {@link #recent}. */
    static final long RECENT_FOR_MS = 5_000;
    /** When {@link #recent} is next swept of events kept longer than {@link #RECENT_FOR_MS}. */
    private final AtomicLong nextSweep = new AtomicLong();
    private static final long SWEEP_EVERY_MS = 1_000;

    protected MongoEventStorageEngine(Builder builder) {
        super(builder);
        MongoDatabase db = builder.database;
        MongoCollections.ensure(db, "events", "snapshots", "event_counters");
        this.events = db.getCollection("events");
        this.snapshots = db.getCollection("snapshots");
        this.counters = db.getCollection("event_counters");
        this.maxGapOffset = builder.maxGapOffset;
        this.gapTimeout = builder.gapTimeout;
        this.abandonedBatchTimeout = builder.abandonedBatchTimeout;
        this.clock = builder.clock;
        this.soleWriter = builder.soleWriter;
        events.createIndex(Indexes.ascending("aggSeq"), new IndexOptions().unique(true).name("aggregate_sequence"));
        nextIndex.set(discoverHead());
        headRaisedTo.set(nextIndex.get());
        this.headCheckEveryMs = Math.max(1, Math.min(1_000, gapTimeout.toMillis() / 4));
        nextHeadCheck.set(clock.millis() + headCheckEveryMs);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- append ----------------------------------------------------------------------------

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        List<Document> docs = new ArrayList<>(events.size());
        for (EventMessage<?> event : events) {
            docs.add(toDocument(event, serializer, -1, -1, events.size()));
        }
        catchUpWithHead();
        try {
            insertBatch(docs);
        } catch (DuplicateSlot e) {
            if (!reclaimAbandoned(e.aggSeq)) {
                handlePersistenceException(e.cause, events.get(e.index));
                return;
            }
            // The slot was held by a batch a crashed writer left unfinished: try once more.
            try {
                insertBatch(docs);
            } catch (DuplicateSlot again) {
                handlePersistenceException(again.cause, events.get(again.index));
                return;
            }
        }
        for (Document doc : docs) {
            remember(doc.getString("aggregateIdentifier"), doc.getLong("sequenceNumber"));
            keepRecent(doc);
        }
    }

    /** Keeps a visible event for the readers that follow (see {@link #recent}). */
    private void keepRecent(Document event) {
        long id = event.getLong("_id");
        int slot = (int) (id & (RECENT_EVENTS - 1));
        long now = clock.millis();
        recentAt.set(slot, now); // before the event: a sweep that sees this event sees this time or a later one
        recent.set(slot, event);
        sweepRecent(now);
    }

    /**
     * Once a second at most, empties the slots of {@link #recent} filled more than {@link #RECENT_FOR_MS}
     * ago (one pass over the ring, by whichever thread comes first). A slot refilled meanwhile is left alone.
     */
    private void sweepRecent(long now) {
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + SWEEP_EVERY_MS)) {
            return;
        }
        long keptBefore = now - RECENT_FOR_MS;
        for (int slot = 0; slot < RECENT_EVENTS; slot++) {
            Document kept = recent.get(slot);
            if (kept != null && recentAt.get(slot) < keptBefore) {
                recent.compareAndSet(slot, kept, null);
            }
        }
    }

    /** The visible event at {@code index} if this node has it at hand, else null. */
    private Document recentEvent(long index) {
        Document event = recent.get((int) (index & (RECENT_EVENTS - 1)));
        return event != null && event.getLong("_id") == index ? event : null;
    }

    /** The aggregate's last sequence number is at least {@code sequence}: a hint that only ever grows. */
    private void remember(String aggregateIdentifier, long sequence) {
        if (lastFound.size() >= MAX_SEQUENCE_HINTS) {
            lastFound.clear(); // bounded: the hints are only a shortcut
        }
        lastFound.merge(aggregateIdentifier, sequence, Math::max);
    }

    /**
     * Writes the batch at the next free global indexes, then marks a batch of more than one complete.
     * A batch is first tried in one round trip at consecutive indexes; if another node took one of
     * them, what was written is removed (it was invisible: no marker) and the events go one by one,
     * each at the next free index. Any failure removes what this attempt wrote and is reported.
     */
    private void insertBatch(List<Document> docs) {
        List<Long> written = docs.size() > 1 ? insertTogether(docs) : null;
        if (written == null) {
            written = insertOneByOne(docs);
            if (docs.size() > 1) {
                try {
                    events.insertOne(marker(written.get(0), docs.size()));
                } catch (RuntimeException e) {
                    removeEvents(written, docs);
                    throw new EventStoreException("Failed to complete a batch of " + docs.size() + " events", e);
                }
            }
        }
        if (docs.size() > 1) {
            completed(docs.get(0).getLong("batch"));
        }
        raiseHead(written.get(written.size() - 1));
    }

    /** This node has seen an event at {@code index}: it allocates above it from now on. */
    private void seen(long index) {
        nextIndex.accumulateAndGet(index, Math::max);
    }

    /**
     * As one of several writers, takes in the shared head at most every {@link #headCheckEveryMs}. This
     * node's hint only moves with its own writes; after a pause it would lag behind and take holes far
     * below the head (indexes allocated and never written: a batch removed after a conflict, a writer
     * killed), which readers have long given up waiting for. Taken in this often, a hole this node fills
     * lies above the head of a moment ago, so readers that passed it still hold it as a gap.
     */
    private void catchUpWithHead() {
        if (soleWriter.getAsBoolean()) {
            return; // its own allocations are the head
        }
        long now = clock.millis();
        long due = nextHeadCheck.get();
        if (now >= due && nextHeadCheck.compareAndSet(due, now + headCheckEveryMs)) {
            seen(headIndex());
        }
    }

    private void completed(long batch) {
        if (completeBatches.size() >= MAX_COMPLETE_BATCHES) {
            completeBatches.clear(); // bounded: a shortcut only
        }
        completeBatches.add(batch);
    }

    /** The completion marker of a batch: its presence makes the batch's events visible. */
    private static Document marker(long batch, int size) {
        // Its own unique aggSeq, so that it never collides with an event's slot (or another marker's).
        return new Document("_id", markerId(batch)).append("aggSeq", markerId(batch)).append("size", size);
    }

    private static String markerId(long batch) {
        return "batch:" + batch;
    }

    /**
     * One ordered insert of the events at consecutive indexes followed by their marker; null when
     * another node holds one of the indexes.
     */
    private List<Long> insertTogether(List<Document> docs) {
        long first = nextIndex.getAndAdd(docs.size()) + 1;
        List<Long> ids = new ArrayList<>(docs.size());
        List<Document> withMarker = new ArrayList<>(docs.size() + 1);
        for (int i = 0; i < docs.size(); i++) {
            docs.get(i).put("_id", first + i);
            docs.get(i).put("batch", first);
            ids.add(first + i);
            withMarker.add(docs.get(i));
        }
        withMarker.add(marker(first, docs.size()));
        try {
            events.insertMany(withMarker, new InsertManyOptions().ordered(true));
            return ids;
        } catch (MongoBulkWriteException e) {
            removeEvents(ids, docs);
            var error = e.getWriteErrors().get(0);
            if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                throw new EventStoreException("Failed to append " + docs.size() + " events", e);
            }
            if (error.getIndex() < docs.size()) {
                String aggSeq = docs.get(error.getIndex()).getString("aggSeq");
                if (events.find(eq("aggSeq", aggSeq)).first() != null) {
                    throw new DuplicateSlot(e, error.getIndex(), aggSeq);
                }
            }
            nextIndex.accumulateAndGet(headIndex(), Math::max);
            return null;
        } catch (RuntimeException e) {
            removeEvents(ids, docs);
            throw new EventStoreException("Failed to append " + docs.size() + " events", e);
        }
    }

    private List<Long> insertOneByOne(List<Document> docs) {
        List<Long> written = new ArrayList<>(docs.size());
        try {
            long batch = -1;
            for (int i = 0; i < docs.size(); i++) {
                long id = insertAtNextIndex(docs.get(i), batch, i);
                if (batch < 0) {
                    batch = id;
                }
                written.add(id);
            }
            return written;
        } catch (DuplicateSlot e) {
            removeEvents(written, docs);
            throw e;
        } catch (RuntimeException e) {
            removeEvents(written, docs);
            throw new EventStoreException("Failed to append " + docs.size() + " event(s)", e);
        }
    }

    /**
     * Allocation by insertion: the unique {@code _id} index decides who gets an index, so no counter
     * has to be atomic (the embedded server's findAndModify answers may race under load). Threads of
     * this node take distinct candidates from a local hint; a collision means another node took the
     * index, so the hint moves on. A collision on the aggregate/sequence index is a real conflict.
     */
    private long insertAtNextIndex(Document doc, long batch, int position) {
        while (true) {
            long id = nextIndex.incrementAndGet();
            doc.put("_id", id);
            doc.put("batch", batch < 0 ? id : batch);
            try {
                events.insertOne(doc);
                return id;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                if (events.find(eq("aggSeq", doc.getString("aggSeq"))).first() != null) {
                    throw new DuplicateSlot(e, position, doc.getString("aggSeq"));
                }
                nextIndex.accumulateAndGet(headIndex(), Math::max);
            }
        }
    }

    /**
     * Removes what this attempt wrote. Matching the event identifiers too matters: an index in the
     * attempted range may have been written by another node, whose event must stay.
     */
    private void removeEvents(List<Long> ids, List<Document> docs) {
        if (!ids.isEmpty()) {
            List<String> eventIds = docs.stream().map(d -> d.getString("eventIdentifier")).toList();
            events.deleteMany(Filters.and(in("_id", ids), in("eventIdentifier", eventIds)));
        }
    }

    /** Deletes the unfinished batch that holds the slot, if its writer is surely gone. */
    private boolean reclaimAbandoned(String aggSeq) {
        Document holder = events.find(eq("aggSeq", aggSeq)).first();
        if (holder == null) {
            return true; // freed meanwhile
        }
        int size = holder.getInteger("batchSize", 1);
        long batch = holder.getLong("batch");
        if (size == 1 || events.find(eq("_id", markerId(batch))).first() != null) {
            return false; // a committed event: a real concurrent modification
        }
        Instant written = writtenAt(holder);
        if (written.plus(abandonedBatchTimeout).isAfter(clock.instant())) {
            return false; // its writer may still be finishing
        }
        log.warn("Reclaiming event batch {} ({} events) abandoned by a writer that never completed it", batch, size);
        // Recovery only: the one place that filters on a non-key field.
        events.deleteMany(eq("batch", batch));
        return true;
    }

    /**
     * Records a lower bound of the highest written index, for nodes starting up and for readers
     * scanning past unwritten ranges. Once per {@value #HEAD_STRIDE} indexes is enough: both probe
     * forward from it by exact key, and it saves a round trip on nearly every append.
     */
    private void raiseHead(long index) {
        long previous = headRaisedTo.getAndAccumulate(index, Math::max);
        if (index / HEAD_STRIDE != previous / HEAD_STRIDE) {
            counters.updateOne(eq("_id", COUNTER_ID), Updates.max("value", index), new UpdateOptions().upsert(true));
        }
    }

    /** The recorded head: a lower bound of the highest written index, at most a stride behind. */
    private long recordedHead() {
        Document counter = counters.find(eq("_id", COUNTER_ID)).first();
        return counter == null ? 0 : counter.getLong("value");
    }

    /**
     * The highest global index written, as far as this node can tell (recorded head, probed forward); the
     * sole writer knows it without a lookup. A reader that finds its window empty asks for it, so on the
     * embedded default an idle poll no longer costs two extra lookups.
     */
    public long headIndex() {
        if (soleWriter.getAsBoolean()) {
            return headRaisedTo.get(); // found at start-up, raised by every append since: nothing else writes
        }
        return Math.max(discoverHead(), headRaisedTo.get());
    }

    /** Where this node starts allocating: past the recorded head and past anything written after it. */
    private long discoverHead() {
        long head = recordedHead();
        while (true) {
            List<Long> ahead = LongStream.rangeClosed(head + 1, head + 100).boxed().toList();
            long max = head;
            for (Document d : events.find(in("_id", ahead)).projection(new Document("_id", 1))) {
                max = Math.max(max, d.getLong("_id"));
            }
            if (max == head) {
                return head;
            }
            head = max;
        }
    }

    /** Test hook: reserves indexes as a writer that allocated them and is slow to write would. */
    long allocate(int count) {
        return nextIndex.getAndAdd(count) + 1;
    }

    /** The stored form of an event; {@code _id} and {@code batch} are set when it is written. */
    Document toDocument(EventMessage<?> event, Serializer serializer, long index, long batch, int size) {
        SerializedObject<String> payload = event.serializePayload(serializer, String.class);
        SerializedObject<String> metaData = event.serializeMetaData(serializer, String.class);
        String aggregateId;
        long sequence;
        String type;
        if (event instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null) {
            aggregateId = domain.getAggregateIdentifier();
            sequence = domain.getSequenceNumber();
            type = domain.getType();
        } else {
            // As in the JDBC engine, an event without aggregate is its own one-event stream.
            aggregateId = event.getIdentifier();
            sequence = 0;
            type = null;
        }
        return new Document("_id", index)
                .append("aggSeq", aggregateId + "/" + sequence)
                .append("aggregateIdentifier", aggregateId)
                .append("sequenceNumber", sequence)
                .append("type", type)
                .append("eventIdentifier", event.getIdentifier())
                .append("timestamp", TIMESTAMP.format(event.getTimestamp()))
                .append("writtenAt", TIMESTAMP.format(clock.instant()))
                .append("payloadType", payload.getType().getName())
                .append("payloadRevision", payload.getType().getRevision())
                .append("payload", payload.getData())
                .append("metaData", metaData.getData())
                .append("batch", batch)
                .append("batchSize", size);
    }

    // ---- aggregates --------------------------------------------------------------------------

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier,
                                                                   long firstSequenceNumber, int batchSize) {
        List<String> keys = new ArrayList<>(batchSize);
        for (long seq = firstSequenceNumber; seq < firstSequenceNumber + batchSize; seq++) {
            keys.add(aggregateIdentifier + "/" + seq);
        }
        List<Document> docs = visible(events.find(in("aggSeq", keys)).into(new ArrayList<>()));
        docs.sort(Comparator.comparingLong(d -> d.getLong("sequenceNumber")));
        List<DomainEventData<?>> result = new ArrayList<>(docs.size());
        long expected = firstSequenceNumber;
        for (Document d : docs) {
            if (d.getLong("sequenceNumber") != expected) {
                break; // a hole means an unfinished batch: the stream ends before it
            }
            result.add(domainEntry(d));
            seen(d.getLong("_id")); // what a command appends after loading the aggregate must come after it
            expected++;
        }
        return result;
    }

    /**
     * The aggregate's last sequence number by exact-key probes only: doubling until a slot is empty,
     * then bisecting, so O(log n) lookups instead of reading the stream. The probes start from the last
     * sequence number this node found for the aggregate, when it has one that is still there: then an
     * aggregate with nothing new costs two lookups (that one, and the empty slot after it) instead of
     * about 2 log2(n). Other nodes' appends are found by probing on from it. The hints also come from this
     * engine's own appends, and only grow; as the store's sole writer it answers from a hint alone.
     */
    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Long hint = lastFound.get(aggregateIdentifier);
        if (hint != null && soleWriter.getAsBoolean()) {
            return Optional.of(hint);
        }
        long present;
        boolean hintHolds = hint != null && exists(aggregateIdentifier, hint);
        if (hintHolds) {
            present = hint;
        } else if (exists(aggregateIdentifier, 0)) {
            present = 0;
        } else {
            return Optional.empty();
        }
        long step = 1;
        long absent = present + 1;
        while (exists(aggregateIdentifier, absent)) {
            present = absent;
            step *= 2;
            absent = present + step;
        }
        while (absent - present > 1) {
            long mid = present + (absent - present) / 2;
            if (exists(aggregateIdentifier, mid)) {
                present = mid;
            } else {
                absent = mid;
            }
        }
        if (hint != null && !hintHolds) {
            lastFound.put(aggregateIdentifier, present); // the stream stepped back (events removed): so does the hint
        } else {
            remember(aggregateIdentifier, present);
        }
        return Optional.of(present);
    }

    /**
     * The aggregate's last sequence number where this engine is the store's sole writer (after the first
     * probe for an aggregate, without a lookup); empty when it is not, or the aggregate has no events.
     */
    public OptionalLong knownLastSequence(String aggregateIdentifier) {
        if (!soleWriter.getAsBoolean()) {
            return OptionalLong.empty();
        }
        return lastSequenceNumberFor(aggregateIdentifier).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /**
     * Whether the aggregate's event at {@code sequence} is in the store (and visible): one lookup by the
     * unique aggregate/sequence index. Since an aggregate's sequence numbers have no holes, "no event at n + 1"
     * means nothing was appended after event n, on any node.
     */
    public boolean hasEvent(String aggregateIdentifier, long sequence) {
        return exists(aggregateIdentifier, sequence);
    }

    private boolean exists(String aggregateIdentifier, long sequence) {
        return !visible(events.find(eq("aggSeq", aggregateIdentifier + "/" + sequence)).into(new ArrayList<>()))
                .isEmpty();
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        Document d = snapshots.find(eq("_id", aggregateIdentifier)).first();
        if (d == null) {
            return Stream.empty();
        }
        // Where the snapshot's last event stands, as for events loaded (a snapshot stored before
        // it was recorded: looked up by its aggregate/sequence key, unless this node is the sole writer,
        // whose allocations are past every event there is).
        Long index = d.getLong("index");
        if (index == null && !soleWriter.getAsBoolean()) {
            index = indexOf(aggregateIdentifier, d.getLong("sequenceNumber"));
        }
        if (index != null) {
            seen(index);
        }
        return Stream.of(domainEntry(d));
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        SerializedObject<String> payload = snapshot.serializePayload(serializer, String.class);
        SerializedObject<String> metaData = snapshot.serializeMetaData(serializer, String.class);
        Document doc = new Document("_id", snapshot.getAggregateIdentifier())
                .append("aggregateIdentifier", snapshot.getAggregateIdentifier())
                .append("sequenceNumber", snapshot.getSequenceNumber())
                .append("type", snapshot.getType())
                .append("eventIdentifier", snapshot.getIdentifier())
                .append("timestamp", TIMESTAMP.format(snapshot.getTimestamp()))
                .append("payloadType", payload.getType().getName())
                .append("payloadRevision", payload.getType().getRevision())
                .append("payload", payload.getData())
                .append("metaData", metaData.getData());
        Document current = snapshots.find(eq("_id", snapshot.getAggregateIdentifier())).first();
        if (current != null && current.getLong("sequenceNumber") >= snapshot.getSequenceNumber()) {
            return; // never replace a snapshot by an older one
        }
        Long index = indexOf(snapshot.getAggregateIdentifier(), snapshot.getSequenceNumber());
        if (index != null) {
            doc.append("index", index); // the global index of the snapshot's last event
        }
        snapshots.replaceOne(eq("_id", snapshot.getAggregateIdentifier()), doc, new ReplaceOptions().upsert(true));
    }

    /** The global index of the aggregate's event at {@code sequence}, or null when there is none. */
    private Long indexOf(String aggregateIdentifier, long sequence) {
        Document event = events.find(eq("aggSeq", aggregateIdentifier + "/" + sequence))
                .projection(new Document("_id", 1)).first();
        return event == null ? null : event.getLong("_id");
    }

    // ---- tracking ----------------------------------------------------------------------------

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        if (lastToken != null && !(lastToken instanceof GapAwareTrackingToken)) {
            throw new IllegalArgumentException("Token " + lastToken + " is not a GapAwareTrackingToken");
        }
        GapAwareTrackingToken token = (GapAwareTrackingToken) lastToken;
        sweepRecent(clock.millis()); // also while nothing new is kept: an idle node lets go of what it holds
        if (token != null && token.hasGaps()) {
            token = cleanGaps(token);
        }
        long index = token == null ? LOWEST_INDEX - 1 : token.getIndex();
        Set<Long> ids = new LinkedHashSet<>(token == null ? Set.of() : token.getGaps());
        LongStream.rangeClosed(index + 1, index + batchSize).forEach(ids::add);
        // Events at hand are not read again. As the sole writer this node allocated every index there is,
        // so one past its allocations is not looked up either: an idle poll costs no round trip.
        long allocated = soleWriter.getAsBoolean() ? nextIndex.get() : Long.MAX_VALUE;
        List<Document> found = new ArrayList<>(ids.size());
        List<Long> missing = new ArrayList<>();
        for (long id : ids) {
            Document event = recentEvent(id);
            if (event != null) {
                found.add(event);
            } else if (id <= allocated) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            events.find(in("_id", missing)).into(found);
        }
        Visible window = visibleInOrder(found);
        List<Document> docs = new ArrayList<>(window.docs());
        if (docs.isEmpty() && !window.blocked()) {
            docs = scanAhead(index, batchSize);
        }
        docs.forEach(this::keepRecent);
        if (!docs.isEmpty()) {
            seen(docs.get(docs.size() - 1).getLong("_id"));
        }

        Instant gapFrame = clock.instant().minus(gapTimeout);
        List<TrackedEventData<?>> result = new ArrayList<>(docs.size());
        GapAwareTrackingToken previous = token;
        for (Document d : docs) {
            long globalIndex = d.getLong("_id");
            boolean allowGaps = writtenAt(d).isAfter(gapFrame);
            GapAwareTrackingToken next;
            if (previous == null) {
                next = GapAwareTrackingToken.newInstance(globalIndex, allowGaps
                        ? LongStream.range(Math.min(LOWEST_INDEX, globalIndex), globalIndex).boxed()
                                .collect(Collectors.toCollection(TreeSet::new))
                        : new TreeSet<>());
            } else {
                next = previous.advanceTo(globalIndex, allowGaps ? maxGapOffset : 0);
            }
            result.add(new TrackedDomainEventData<>(next, domainEntry(d)));
            previous = next;
        }
        return result;
    }

    /**
     * When a whole window is empty, a range was allocated and not (yet) written. Look further ahead, up
     * to the head, so that readers do not stall behind it; what is skipped becomes gaps in the token. A
     * multi-event batch still being written stops the look ahead (see {@link #visibleInOrder}). A batch
     * may also have been written and completed while the windows before were read: then it is read again
     * from its first event, so that none of its events become gaps behind its later ones.
     */
    private List<Document> scanAhead(long index, int batchSize) {
        long head = headIndex();
        long start = index + batchSize;
        for (int window = 0; window < MAX_EMPTY_WINDOWS && start < head; window++) {
            List<Long> ids = LongStream.rangeClosed(start + 1, Math.min(head, start + batchSize)).boxed().toList();
            Visible found = visibleInOrder(events.find(in("_id", ids)).into(new ArrayList<>()));
            if (found.blocked() && found.docs().isEmpty()) {
                return new ArrayList<>();
            }
            if (!found.docs().isEmpty()) {
                long batchStart = found.docs().stream().filter(d -> d.getInteger("batchSize", 1) > 1)
                        .mapToLong(d -> d.getLong("batch")).min().orElse(Long.MAX_VALUE);
                if (batchStart <= start) {
                    long from = Math.max(index + 1, batchStart);
                    List<Long> again = LongStream.range(from, from + batchSize).boxed().toList();
                    return new ArrayList<>(visibleInOrder(events.find(in("_id", again)).into(new ArrayList<>())).docs());
                }
                return new ArrayList<>(found.docs());
            }
            start += batchSize;
        }
        return new ArrayList<>();
    }

    /**
     * Drops gaps that will never fill: a gap is given up once the event right after it is older than
     * the gap timeout, since any writer that allocated the gap before it has had that long to finish.
     */
    private GapAwareTrackingToken cleanGaps(GapAwareTrackingToken token) {
        SortedSet<Long> gaps = token.getGaps();
        List<Long> after = gaps.stream().map(g -> g + 1).toList();
        Map<Long, Instant> written = new HashMap<>();
        events.find(in("_id", after)).forEach(d -> written.put(d.getLong("_id"), writtenAt(d)));
        Instant frame = clock.instant().minus(gapTimeout);
        GapAwareTrackingToken cleaned = token;
        for (long gap : gaps) {
            if (gaps.contains(gap + 1)) {
                continue;
            }
            Instant next = written.get(gap + 1);
            if (next == null || next.isAfter(frame)) {
                break;
            }
            cleaned = cleaned.withGapsTruncatedAt(gap + 1);
        }
        return cleaned;
    }

    /** What a tracking read may hand out, in index order, and whether a batch being written held it back. */
    private record Visible(List<Document> docs, boolean blocked) {
    }

    /**
     * The events a tracking reader may hand out now, in index order. Events of a multi-event batch whose
     * completion marker is missing are left out; if the batch was written within the abandoned-batch timeout
     * it is still being written, and every event after it is held back too. Skipping it instead would hand out
     * its later events first and leave the earlier ones as gaps, delivered afterwards out of order: a
     * projection then saw a member's ninth event before their registration (generated web of trust, whose
     * batches are a thousand events long). A batch older than that timeout was abandoned by a writer that
     * died mid-way (its writer side reclaims it after the same timeout), and is only left out.
     */
    private Visible visibleInOrder(List<Document> found) {
        List<Document> docs = new ArrayList<>(visible(found));
        docs.sort(Comparator.comparingLong(d -> d.getLong("_id")));
        if (docs.size() == found.size()) {
            return new Visible(docs, false);
        }
        Set<Long> shown = new HashSet<>();
        docs.forEach(d -> shown.add(d.getLong("_id")));
        Instant frame = clock.instant().minus(abandonedBatchTimeout);
        long firstBeingWritten = Long.MAX_VALUE;
        for (Document d : found) {
            long id = d.getLong("_id");
            if (!shown.contains(id) && writtenAt(d).isAfter(frame)) {
                firstBeingWritten = Math.min(firstBeingWritten, id);
            }
        }
        if (firstBeingWritten == Long.MAX_VALUE) {
            return new Visible(docs, false);
        }
        long stop = firstBeingWritten;
        return new Visible(docs.stream().filter(d -> d.getLong("_id") < stop).toList(), true);
    }

    /** Leaves out events of a multi-event batch whose completion marker is not (yet) written. */
    private List<Document> visible(List<Document> docs) {
        Set<Long> pending = new HashSet<>();
        for (Document d : docs) {
            if (d.getInteger("batchSize", 1) > 1) {
                pending.add(d.getLong("batch"));
            }
        }
        if (pending.isEmpty()) {
            return docs;
        }
        Set<Long> complete = new HashSet<>();
        pending.removeIf(batch -> completeBatches.contains(batch) && complete.add(batch));
        if (!pending.isEmpty()) {
            events.find(in("_id", pending.stream().map(MongoEventStorageEngine::markerId).toList()))
                    .forEach(b -> complete.add(Long.parseLong(b.getString("_id").substring("batch:".length()))));
            pending.stream().filter(complete::contains).forEach(this::completed);
        }
        List<Document> result = new ArrayList<>(docs.size());
        for (Document d : docs) {
            if (d.getInteger("batchSize", 1) == 1 || complete.contains(d.getLong("batch"))) {
                result.add(d);
            }
        }
        return result;
    }

    @Override
    public TrackingToken createTailToken() {
        return null; // "before the first event": a processor starting here sees everything
    }

    @Override
    public TrackingToken createHeadToken() {
        return GapAwareTrackingToken.newInstance(headIndex(), new TreeSet<>());
    }

    /** A rare operator action (start a processor at a date), so a scan of the timestamps is acceptable. */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        Document first = events.find(gte("timestamp", TIMESTAMP.format(dateTime))).sort(Sorts.ascending("_id"))
                .limit(1).first();
        if (first == null) {
            return createHeadToken();
        }
        long index = first.getLong("_id") - 1;
        return index < LOWEST_INDEX ? null : GapAwareTrackingToken.newInstance(index, new TreeSet<>());
    }

    // ---- mapping -------------------------------------------------------------------------------

    private static StoredEventData domainEntry(Document d) {
        String aggregateId = d.getString("aggregateIdentifier");
        String eventId = d.getString("eventIdentifier");
        return new StoredEventData(d.getString("type"), eventId.equals(aggregateId) ? null : aggregateId,
                d.getLong("sequenceNumber"), eventId, d.getString("timestamp"), d.getString("payloadType"),
                d.getString("payloadRevision"), d.getString("payload"), d.getString("metaData"));
    }

    /**
     * When the engine wrote the event, by its own clock: what gap and abandoned-batch decisions go by.
     * Not the event's timestamp, which may lie far in the past (imported or generated history, a node's
     * slow clock): a reader that took an unfinished batch of such events for ancient gaps dropped them
     * for good, and a writer still writing one could have had it reclaimed. Events stored before this
     * field existed fall back to their timestamp.
     */
    private static Instant writtenAt(Document d) {
        String written = d.getString("writtenAt");
        return UtcTimestamps.parse(written != null ? written : d.getString("timestamp"));
    }

    /** True when the exception is a duplicate key on the aggregate/sequence index. */
    public static boolean isDuplicateKey(Throwable e) {
        if (e instanceof MongoBulkWriteException bulk) {
            return bulk.getWriteErrors().stream()
                    .anyMatch(w -> ErrorCategory.fromErrorCode(w.getCode()) == ErrorCategory.DUPLICATE_KEY);
        }
        return e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    /** A duplicate aggregate/sequence slot at position {@code index} of the batch. */
    private static final class DuplicateSlot extends RuntimeException {
        private final Exception cause;
        private final int index;
        private final String aggSeq;

        DuplicateSlot(Exception cause, int index, String aggSeq) {
            super(null, null, false, false);
            this.cause = cause;
            this.index = index;
            this.aggSeq = aggSeq;
        }
    }

    /** Builder with the JDBC engine's gap settings and the store's database. */
    public static class Builder extends BatchingEventStorageEngine.Builder {

        private MongoDatabase database;
        private int maxGapOffset = 10_000;
        private Duration gapTimeout = Duration.ofSeconds(60);
        private Duration abandonedBatchTimeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private java.util.function.BooleanSupplier soleWriter = () -> false;

        public Builder() {
            persistenceExceptionResolver((PersistenceExceptionResolver) MongoEventStorageEngine::isDuplicateKey);
        }

        public Builder database(MongoDatabase database) {
            this.database = database;
            return this;
        }

        /** How far below the newest index a gap is still waited for. */
        public Builder maxGapOffset(int maxGapOffset) {
            this.maxGapOffset = maxGapOffset;
            return this;
        }

        /** How long a gap is waited for before it is taken to be a write that never happened. */
        public Builder gapTimeout(Duration gapTimeout) {
            this.gapTimeout = gapTimeout;
            return this;
        }

        /** How old an unfinished multi-event batch must be before a blocked writer may delete it. */
        public Builder abandonedBatchTimeout(Duration timeout) {
            this.abandonedBatchTimeout = timeout;
            return this;
        }

        /**
         * Whether this engine is the only writer of the store (the embedded default: the store's file is
         * locked by this process). Then the last sequence number it knows for an aggregate, from its own
         * appends or an earlier probe, is the last one there is, and {@link #lastSequenceNumberFor}
         * answers it without a lookup.
         */
        public Builder soleWriter(boolean soleWriter) {
            return soleWriter(() -> soleWriter);
        }

        /**
         * The same, as a condition that may turn false while the engine runs (another process connected
         * to the embedded store) and then stays false; from then on the engine looks in the store as any
         * engine sharing it does.
         */
        public Builder soleWriter(java.util.function.BooleanSupplier soleWriter) {
            this.soleWriter = java.util.Objects.requireNonNull(soleWriter, "soleWriter");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        public MongoEventStorageEngine build() {
            if (database == null) {
                throw new org.axonframework.common.AxonConfigurationException("The MongoDatabase is required");
            }
            validate();
            return new MongoEventStorageEngine(this);
        }
    }
}
