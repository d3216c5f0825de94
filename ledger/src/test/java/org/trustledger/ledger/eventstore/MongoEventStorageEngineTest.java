package org.trustledger.ledger.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.api.EmailVerified;
import org.trustledger.ledger.testing.LedgerHarness.MutableClock;
import org.trustledger.ledger.testing.TestMongo;

/** The storage engine on its own: ordering, gaps, concurrency, atomic batches, replay, snapshots. */
class MongoEventStorageEngineTest {

    TestMongo mongo;
    MongoDatabase db;
    Serializer serializer = Jackson3Serializer.builder().build();
    MutableClock clock = new MutableClock(Instant.now());
    MongoEventStorageEngine engine;

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        db = mongo.freshDatabase();
        engine = engine(db);
    }

    @AfterEach
    void tearDown() {
        mongo.close();
    }

    MongoEventStorageEngine engine(MongoDatabase database) {
        return MongoEventStorageEngine.builder().database(database).snapshotSerializer(serializer)
                .eventSerializer(serializer).clock(clock).gapTimeout(Duration.ofSeconds(5))
                .abandonedBatchTimeout(Duration.ofSeconds(5)).batchSize(10).build();
    }

    static DomainEventMessage<EmailVerified> event(String aggregate, long seq) {
        return new GenericDomainEventMessage<>("Member", aggregate, seq,
                new EmailVerified(aggregate, aggregate + "-" + seq + "@example.org", Instant.parse("2026-11-23T12:00:00Z")));
    }

    static String emailOf(TrackedEventMessage<?> m) {
        return ((EmailVerified) m.getPayload()).email();
    }

    /** A listener that collects every {@code find} on the events collection. */
    static CommandListener eventFindsInto(List<BsonDocument> finds) {
        return new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent e) {
                if (e.getCommandName().equals("find") && e.getCommand().getString("find").getValue().equals("events")) {
                    finds.add(e.getCommand().clone());
                }
            }
        };
    }

    List<TrackedEventMessage<?>> readAll(MongoEventStorageEngine e, TrackingToken from) {
        List<TrackedEventMessage<?>> result = new ArrayList<>();
        e.readEvents(from, false).forEach(result::add);
        return result;
    }

    @Test
    void an_aggregate_reads_back_in_sequence_order_across_batches() {
        for (int i = 0; i < 25; i++) {
            engine.appendEvents(event("a", i), event("b", i));
        }
        List<Long> seqs = engine.readEvents("a").asStream().map(DomainEventMessage::getSequenceNumber).toList();
        assertThat(seqs).hasSize(25).isSorted().startsWith(0L).endsWith(24L);
        assertThat(engine.readEvents("a", 20).asStream().count()).isEqualTo(5);
        assertThat(engine.lastSequenceNumberFor("a")).contains(24L);
        assertThat(engine.lastSequenceNumberFor("nobody")).isEmpty();
    }

    /**
     * The last sequence number is right however the stream moved since this node last asked: grown here,
     * grown by another node, or stepped back (a hint left pointing past the stream's end).
     */
    @Test
    void the_last_sequence_number_follows_the_stream_from_where_it_was_last_found() {
        MongoEventStorageEngine other = engine(db);
        int next = 0;
        java.util.Random random = new java.util.Random(11);
        for (int round = 0; round < 40; round++) {
            int more = random.nextInt(round % 3 == 0 ? 40 : 4);
            MongoEventStorageEngine writer = random.nextBoolean() ? engine : other;
            for (int i = 0; i < more; i++) {
                writer.appendEvents(event("a", next++));
            }
            assertThat(engine.lastSequenceNumberFor("a")).as("round %d", round)
                    .isEqualTo(next == 0 ? java.util.Optional.empty() : java.util.Optional.of((long) next - 1));
            assertThat(other.lastSequenceNumberFor("a")).isEqualTo(engine.lastSequenceNumberFor("a"));
        }
        // A stream shorter than what was found before (events removed, as a failed batch's are).
        long last = next - 1;
        db.getCollection("events").deleteMany(new Document("aggSeq", new Document("$in", java.util.List.of(
                "a/" + last, "a/" + (last - 1)))));
        assertThat(engine.lastSequenceNumberFor("a")).contains(last - 2);
        db.getCollection("events").deleteMany(new Document("aggregateIdentifier", "a"));
        assertThat(engine.lastSequenceNumberFor("a")).isEmpty();
    }

    /**
     * The store's sole writer (the embedded default) knows each aggregate's last sequence number from its
     * own appends and answers without a lookup; an engine sharing its store with other writers looks.
     */
    @Test
    void a_sole_writer_answers_the_last_sequence_number_from_what_it_appended() {
        MongoEventStorageEngine sole = MongoEventStorageEngine.builder().database(db).snapshotSerializer(serializer)
                .eventSerializer(serializer).clock(clock).batchSize(10).soleWriter(true).build();
        sole.appendEvents(event("a", 0), event("a", 1));
        sole.appendEvents(event("a", 2));
        assertThat(sole.lastSequenceNumberFor("a")).contains(2L);
        // Written behind its back, which cannot happen to a sole writer: shows where its answer comes from.
        db.getCollection("events").insertOne(sole.toDocument(event("a", 3), serializer, 4, 4, 1));
        assertThat(sole.lastSequenceNumberFor("a")).contains(2L);
        assertThat(sole.knownLastSequence("a")).hasValue(2L);
        assertThat(sole.headIndex()).isEqualTo(3); // its head too: the three events it wrote
        assertThat(engine.headIndex()).isEqualTo(4);
        assertThat(engine.lastSequenceNumberFor("a")).contains(3L);
        assertThat(engine.knownLastSequence("a")).isEmpty();
        // An aggregate it has not written since it started is probed for once, then known.
        engine.appendEvents(event("b", 0), event("b", 1));
        assertThat(sole.lastSequenceNumberFor("b")).contains(1L);
        assertThat(sole.lastSequenceNumberFor("nobody")).isEmpty();
        assertThat(sole.knownLastSequence("nobody")).isEmpty();
    }

    @Test
    void tracking_reads_every_event_once_in_global_order_and_replays_from_any_token() {
        for (int i = 0; i < 30; i++) {
            engine.appendEvents(event("agg" + (i % 3), i / 3));
        }
        List<TrackedEventMessage<?>> all = readAll(engine, null);
        assertThat(all).hasSize(30);
        List<Long> positions = all.stream().map(m -> m.trackingToken().position().orElseThrow()).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        for (int k : new int[] {0, 7, 19, 29}) {
            List<TrackedEventMessage<?>> rest = readAll(engine, all.get(k).trackingToken());
            assertThat(rest).extracting(MongoEventStorageEngineTest::emailOf)
                    .containsExactlyElementsOf(all.subList(k + 1, 30).stream().map(MongoEventStorageEngineTest::emailOf).toList());
        }
    }

    /**
     * Readers take the events this node wrote or read lately from memory. The sole writer's processors,
     * following the head, read nothing from the store (nor past the head, where it knows there is
     * nothing); a reader sharing the store reads each event from the store once and then only looks past
     * the head. The events are the same as those read from the store.
     */
    @Test
    void recent_events_are_read_from_memory_and_a_sole_writer_never_looks_past_its_head() {
        List<BsonDocument> eventFinds = new CopyOnWriteArrayList<>();
        try (MongoClient client = mongo.newClient(eventFindsInto(eventFinds))) {
            MongoDatabase counted = client.getDatabase(db.getName());
            MongoEventStorageEngine sole = MongoEventStorageEngine.builder().database(counted).snapshotSerializer(serializer)
                    .eventSerializer(serializer).clock(clock).batchSize(10).soleWriter(true).build();
            for (int i = 0; i < 25; i++) {
                sole.appendEvents(event("agg" + (i % 3), i / 3));
            }
            sole.appendEvents(event("x", 0), event("y", 0), event("z", 0)); // a batch
            eventFinds.clear();
            List<TrackedEventMessage<?>> fromMemory = readAll(sole, null);
            assertThat(eventFinds).as("finds on events by the sole writer's reader").isEmpty();
            List<TrackedEventMessage<?>> fromStore = readAll(engine(db), null);
            assertThat(fromMemory).hasSize(28);
            assertThat(fromMemory).extracting(MongoEventStorageEngineTest::emailOf)
                    .containsExactlyElementsOf(fromStore.stream().map(MongoEventStorageEngineTest::emailOf).toList());
            assertThat(fromMemory).extracting(m -> m.trackingToken().position().orElseThrow())
                    .containsExactlyElementsOf(fromStore.stream().map(m -> m.trackingToken().position().orElseThrow()).toList());

            MongoEventStorageEngine shared = MongoEventStorageEngine.builder().database(counted).snapshotSerializer(serializer)
                    .eventSerializer(serializer).clock(clock).batchSize(10).build();
            eventFinds.clear();
            assertThat(readAll(shared, null)).hasSize(28);
            int first = eventFinds.size();
            eventFinds.clear();
            assertThat(readAll(shared, null)).extracting(MongoEventStorageEngineTest::emailOf)
                    .containsExactlyElementsOf(fromStore.stream().map(MongoEventStorageEngineTest::emailOf).toList());
            // The first read fetched the events; the second reads them from memory and looks only past the
            // head (for events written since, and for the head itself: the _id-only probes).
            assertThat(first).isGreaterThan(eventFinds.size());
            assertThat(eventFinds).as("finds on a second read of the same events").isNotEmpty()
                    .allSatisfy(find -> assertThat(find.containsKey("projection")
                            || find.getDocument("filter").getDocument("_id").getArray("$in").stream()
                                    .allMatch(id -> id.asInt64().getValue() > 28)).as(find.toJson()).isTrue());
        }
    }

    /**
     * An event stays in memory for a few seconds only ({@link MongoEventStorageEngine#RECENT_FOR_MS}): after
     * that the sole writer's reader fetches it from the store, and reads the events kept since from memory.
     * What it reads is the same either way.
     */
    @Test
    void recent_events_are_let_go_after_a_few_seconds_and_read_from_the_store_again() {
        List<BsonDocument> eventFinds = new CopyOnWriteArrayList<>();
        try (MongoClient client = mongo.newClient(eventFindsInto(eventFinds))) {
            MongoEventStorageEngine sole = MongoEventStorageEngine.builder().database(client.getDatabase(db.getName()))
                    .snapshotSerializer(serializer).eventSerializer(serializer).clock(clock).batchSize(10)
                    .soleWriter(true).build();
            for (int i = 0; i < 10; i++) {
                sole.appendEvents(event("early", i));
            }
            eventFinds.clear(); // appending looks up the aggregate's last sequence number
            assertThat(readAll(sole, null)).hasSize(10);
            assertThat(eventFinds).as("finds while the events are recent").isEmpty();

            clock.advance(Duration.ofMillis(MongoEventStorageEngine.RECENT_FOR_MS + 1));
            sole.appendEvents(event("late", 0));
            eventFinds.clear();
            List<TrackedEventMessage<?>> read = readAll(sole, null);

            assertThat(read).extracting(MongoEventStorageEngineTest::emailOf).containsExactlyElementsOf(
                    readAll(engine(db), null).stream().map(MongoEventStorageEngineTest::emailOf).toList());
            assertThat(read).hasSize(11);
            assertThat(eventFinds).as("finds for the events kept more than a few seconds ago").isNotEmpty()
                    .allSatisfy(find -> assertThat(find.getDocument("filter").getDocument("_id").getArray("$in")
                            .stream().map(id -> id.asInt64().getValue()).toList())
                            .as(find.toJson()).isNotEmpty().allMatch(id -> id >= 1 && id <= 10));
        }
    }

    @Test
    void a_gap_that_fills_late_is_delivered_when_it_fills() {
        engine.appendEvents(event("a", 0));
        long slow = engine.allocate(1); // a writer that allocated and has not written yet
        engine.appendEvents(event("b", 0));
        List<TrackedEventMessage<?>> first = readAll(engine, null);
        assertThat(first).extracting(MongoEventStorageEngineTest::emailOf).containsExactly("a-0@example.org", "b-0@example.org");
        GapAwareTrackingToken token = (GapAwareTrackingToken) first.get(1).trackingToken();
        assertThat(token.getGaps()).containsExactly(slow);

        db.getCollection("events").insertOne(engine.toDocument(event("c", 0), serializer, slow, slow, 1));
        List<TrackedEventMessage<?>> late = readAll(engine, token);
        assertThat(late).extracting(MongoEventStorageEngineTest::emailOf).containsExactly("c-0@example.org");
        assertThat(((GapAwareTrackingToken) late.get(0).trackingToken()).getGaps()).isEmpty();
    }

    @Test
    void a_gap_that_never_fills_is_given_up_after_the_gap_timeout() {
        engine.appendEvents(event("a", 0));
        engine.allocate(1);
        engine.appendEvents(event("b", 0));
        List<TrackedEventMessage<?>> read = readAll(engine, null);
        GapAwareTrackingToken token = (GapAwareTrackingToken) read.get(1).trackingToken();
        assertThat(token.hasGaps()).isTrue();

        clock.advance(Duration.ofSeconds(4));
        engine.appendEvents(event("c", 0));
        GapAwareTrackingToken stillWaiting = (GapAwareTrackingToken) readAll(engine, token).get(0).trackingToken();
        assertThat(stillWaiting.hasGaps()).as("within the timeout the gap is still awaited").isTrue();

        clock.advance(Duration.ofSeconds(2));
        engine.appendEvents(event("d", 0));
        List<TrackedEventMessage<?>> after = readAll(engine, stillWaiting);
        assertThat(after).extracting(MongoEventStorageEngineTest::emailOf).containsExactly("d-0@example.org");
        assertThat(((GapAwareTrackingToken) after.get(0).trackingToken()).hasGaps()).isFalse();
    }

    /**
     * Another node whose allocation hint lags behind (it has not written for a while) loads an aggregate
     * and appends its next event. Below the event it loaded there is a hole: indexes allocated and never
     * written (a batch removed after a conflict, a writer killed). Taking the hole would put the aggregate's
     * later event before its earlier one in global order, and a rebuild, which reads in that order, would
     * skip the earlier one as already seen (found by the two-node reliability test: one assurance too few).
     */
    @Test
    void an_event_appended_after_loading_its_aggregate_lands_after_the_events_loaded() {
        MongoEventStorageEngine other = engine(db);
        engine.allocate(2); // never written
        engine.appendEvents(event("a", 0));
        assertThat(other.readEvents("a").asStream().map(DomainEventMessage::getSequenceNumber)).containsExactly(0L);
        other.appendEvents(event("a", 1));
        assertThat(sequenceNumbersInGlobalOrder("a")).as("the aggregate's events in global order").containsExactly(0L, 1L);

        // Loaded from a snapshot with no events after it: the snapshot says where its last event stands.
        MongoEventStorageEngine third = engine(db);
        engine.allocate(3);
        engine.appendEvents(event("s", 0));
        engine.storeSnapshot(event("s", 0)); // a snapshot as of the aggregate's event 0
        // As the event store loads an aggregate: its snapshot, then the events after it.
        assertThat(third.readSnapshot("s")).hasValueSatisfying(snapshot -> assertThat(snapshot.getSequenceNumber()).isZero());
        assertThat(third.readEvents("s", 1).asStream()).isEmpty();
        third.appendEvents(event("s", 1));
        assertThat(sequenceNumbersInGlobalOrder("s")).containsExactly(0L, 1L);

        // A snapshot stored before it recorded where its last event stands: looked up.
        MongoEventStorageEngine fourth = engine(db);
        engine.allocate(3);
        engine.appendEvents(event("t", 0));
        engine.storeSnapshot(event("t", 0)); // a snapshot as of the aggregate's event 0
        db.getCollection("snapshots").updateOne(new Document("_id", "t"), new Document("$unset", new Document("index", "")));
        assertThat(fourth.readSnapshot("t")).isPresent();
        fourth.appendEvents(event("t", 1));
        assertThat(sequenceNumbersInGlobalOrder("t")).containsExactly(0L, 1L);
    }

    private List<Long> sequenceNumbersInGlobalOrder(String aggregate) {
        return readAll(engine, null).stream().map(m -> (DomainEventMessage<?>) m)
                .filter(m -> m.getAggregateIdentifier().equals(aggregate)).map(DomainEventMessage::getSequenceNumber).toList();
    }

    /**
     * A node that has not written for longer than the gap timeout must not write into a hole that readers
     * have already given up as a gap that never fills: they would never see the event.
     */
    @Test
    void a_node_that_was_idle_writes_past_the_gaps_readers_have_given_up() {
        MongoEventStorageEngine idle = engine(db);
        engine.allocate(1); // never written
        engine.appendEvents(event("a", 0));
        clock.advance(Duration.ofSeconds(6)); // past the gap timeout of 5 s
        engine.appendEvents(event("b", 0));
        List<TrackedEventMessage<?>> read = readAll(engine, null);
        GapAwareTrackingToken token = (GapAwareTrackingToken) read.get(read.size() - 1).trackingToken();
        assertThat(token.hasGaps()).as("the hole is given up").isFalse();

        idle.appendEvents(event("c", 0));
        assertThat(readAll(engine, token)).extracting(MongoEventStorageEngineTest::emailOf).containsExactly("c-0@example.org");
    }

    @Test
    void a_long_unwritten_range_does_not_stall_readers() {
        engine.appendEvents(event("a", 0));
        engine.allocate(35); // more than three read windows of 10
        engine.appendEvents(event("b", 0));
        assertThat(readAll(engine, null)).extracting(MongoEventStorageEngineTest::emailOf)
                .containsExactly("a-0@example.org", "b-0@example.org");
    }

    @Test
    void two_threads_writing_the_same_sequence_number_one_wins_and_one_gets_a_concurrency_error() throws Exception {
        engine.appendEvents(event("a", 0));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger conflicts = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    engine.appendEvents(event("a", 1));
                } catch (ConcurrencyException e) {
                    conflicts.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(conflicts).hasValue(1);
        assertThat(engine.readEvents("a").asStream().count()).isEqualTo(2);
    }

    @Test
    void two_instances_appending_concurrently_lose_nothing_and_readers_see_each_event_once() throws Exception {
        try (MongoClient second = mongo.newClient()) {
            MongoEventStorageEngine other = engine(second.getDatabase(db.getName()));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            for (int w = 0; w < 4; w++) {
                MongoEventStorageEngine target = w % 2 == 0 ? engine : other;
                String agg = "writer" + w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        target.appendEvents(event(agg, i));
                    }
                    return null;
                }));
            }
            // A reader follows along while the writers run, as a projection would.
            TrackingToken token = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < 600 && System.nanoTime() < deadline) {
                for (TrackedEventMessage<?> m : readAll(engine, token)) {
                    assertThat(seen.add(emailOf(m))).as("delivered once: " + emailOf(m)).isTrue();
                    token = m.trackingToken();
                }
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            for (TrackedEventMessage<?> m : readAll(engine, token)) {
                assertThat(seen.add(emailOf(m))).isTrue();
            }
            if (seen.size() != 600) {
                for (Document d : db.getCollection("events").find()) {
                    String email = d.getString("aggregateIdentifier") + "-" + d.getLong("sequenceNumber") + "@example.org";
                    if (!seen.contains(email)) {
                        System.out.println("MISSING " + email + " _id=" + d.get("_id") + " ts=" + d.get("timestamp"));
                    }
                }
                System.out.println("COUNT " + db.getCollection("events").countDocuments() + " TOKEN " + token
                        + " HEAD " + engine.headIndex());
            }
            assertThat(seen).hasSize(600);
            for (int w = 0; w < 4; w++) {
                assertThat(other.lastSequenceNumberFor("writer" + w)).contains(149L);
            }
        }
    }

    @Test
    void two_instances_appending_multi_event_batches_concurrently_lose_nothing() throws Exception {
        try (MongoClient second = mongo.newClient()) {
            MongoEventStorageEngine other = engine(second.getDatabase(db.getName()));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                MongoEventStorageEngine target = w == 0 ? engine : other;
                String prefix = "w" + w + "-";
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        // Both nodes start from the same head, so their consecutive ranges collide.
                        target.appendEvents(event(prefix + "x", i), event(prefix + "y", i), event(prefix + "z", i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<TrackedEventMessage<?>> all = readAll(engine, null);
            assertThat(all).hasSize(600);
            assertThat(all.stream().map(MongoEventStorageEngineTest::emailOf).distinct().count()).isEqualTo(600);
            assertThat(engine.readEvents("w1-z").asStream().count()).isEqualTo(100);
        }
    }

    /**
     * Long multi-event batches (the web-of-trust generator writes a thousand events at a time, several of
     * them for the same member) while a reader follows along: the reader must see each aggregate's events
     * in sequence order. Looking ahead past a window read just before the batch landed once handed out a
     * member's later events first and left the earlier ones as gaps.
     */
    @Test
    void a_reader_following_long_batches_sees_every_aggregate_in_sequence_order() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        int batches = 30;
        int members = 40;
        Future<?> writer = pool.submit(() -> {
            for (int b = 0; b < batches; b++) {
                List<DomainEventMessage<?>> batch = new ArrayList<>();
                for (int m = 0; m < members; m++) {
                    batch.add(event("m" + m, 2L * b));
                    batch.add(event("m" + m, 2L * b + 1));
                }
                engine.appendEvents(batch);
            }
            return null;
        });
        Map<String, Long> last = new HashMap<>();
        TrackingToken token = null;
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (seen < batches * members * 2 && System.nanoTime() < deadline) {
            for (TrackedEventMessage<?> m : readAll(engine, token)) {
                DomainEventMessage<?> d = (DomainEventMessage<?>) m;
                long previous = last.getOrDefault(d.getAggregateIdentifier(), -1L);
                assertThat(d.getSequenceNumber()).as("%s after %d", d.getAggregateIdentifier(), previous)
                        .isEqualTo(previous + 1);
                last.put(d.getAggregateIdentifier(), d.getSequenceNumber());
                token = m.trackingToken();
                seen++;
            }
        }
        writer.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(seen).isEqualTo(batches * members * 2);
    }

    @Test
    void a_batch_is_all_or_nothing_when_one_of_its_events_conflicts() {
        engine.appendEvents(event("b", 0));
        assertThatThrownBy(() -> engine.appendEvents(event("a", 0), event("b", 0)))
                .isInstanceOfAny(ConcurrencyException.class, AggregateStreamCreationException.class);
        assertThat(engine.readEvents("a").asStream().count()).isZero();
        assertThat(readAll(engine, null)).hasSize(1);
        // The slot of "a" is free again.
        engine.appendEvents(event("a", 0), event("b", 1));
        assertThat(readAll(engine, null)).hasSize(3);
    }

    /**
     * Events stamped long ago (imported or generated history) whose batch is still unfinished when a
     * reader passes: judged by the engine's write time, not dropped for their ancient timestamps; and an
     * event written after the batch is held back until the batch completes, so that the reader sees
     * everything in index order (handing "later" out first made a projection see a member's later event
     * before their registration).
     */
    @Test
    void an_unfinished_batch_holds_back_later_events_until_it_completes_then_all_come_in_order() {
        long first = engine.allocate(2);
        Instant longAgo = Instant.parse("2023-07-01T00:00:00Z");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            batch.add(engine.toDocument(stampedLongAgo("old" + i, longAgo), serializer, first + i, first, 2));
        }
        db.getCollection("events").insertMany(batch); // the writer is between its events and its marker
        engine.appendEvents(stampedLongAgo("later", longAgo));
        assertThat(readAll(engine, null)).isEmpty();

        db.getCollection("events").insertOne(new Document("_id", "batch:" + first).append("aggSeq", "batch:" + first)
                .append("size", 2));
        List<TrackedEventMessage<?>> seen = readAll(engine, null);
        assertThat(seen).extracting(MongoEventStorageEngineTest::emailOf)
                .containsExactly("old0-0@example.org", "old1-0@example.org", "later-0@example.org");
        assertThat(((GapAwareTrackingToken) seen.get(2).trackingToken()).getGaps()).isEmpty();
    }

    /** A batch whose writer died is passed over once the abandoned-batch timeout has gone by. */
    @Test
    void an_abandoned_batch_stops_holding_back_later_events_after_the_timeout() {
        long first = engine.allocate(2);
        db.getCollection("events").insertMany(List.of(
                engine.toDocument(event("dead", 0), serializer, first, first, 2),
                engine.toDocument(event("dead", 1), serializer, first + 1, first, 2)));
        engine.appendEvents(event("after", 0));
        assertThat(readAll(engine, null)).isEmpty();
        clock.advance(Duration.ofSeconds(6));
        assertThat(readAll(engine, null)).extracting(MongoEventStorageEngineTest::emailOf)
                .containsExactly("after-0@example.org");
    }

    static DomainEventMessage<EmailVerified> stampedLongAgo(String aggregate, Instant at) {
        return new GenericDomainEventMessage<>("Member", aggregate, 0, new EmailVerified(aggregate, aggregate + "-0@example.org",
                at), org.axonframework.messaging.MetaData.emptyInstance(), java.util.UUID.randomUUID().toString(), at);
    }

    @Test
    void a_batch_left_unfinished_by_a_crashed_writer_is_invisible_and_reclaimed_later() {
        long first = engine.allocate(2);
        // The writer inserted both events and died before writing the batch's completion marker.
        db.getCollection("events").insertMany(List.of(
                engine.toDocument(event("a", 0), serializer, first, first, 2),
                engine.toDocument(event("b", 0), serializer, first + 1, first, 2)));
        assertThat(readAll(engine, null)).isEmpty();
        assertThat(engine.readEvents("a").asStream().count()).isZero();

        assertThatThrownBy(() -> engine.appendEvents(event("a", 0)))
                .as("while its writer might still finish, the slot stays taken")
                .isInstanceOfAny(ConcurrencyException.class, AggregateStreamCreationException.class);
        clock.advance(Duration.ofSeconds(6));
        engine.appendEvents(event("a", 0));
        assertThat(readAll(engine, null)).extracting(MongoEventStorageEngineTest::emailOf).containsExactly("a-0@example.org");
        assertThat(db.getCollection("events").countDocuments(new Document("_id", first + 1))).isZero();
    }

    @Test
    void snapshots_are_stored_per_aggregate_and_never_replaced_by_older_ones() {
        engine.storeSnapshot(event("a", 10));
        engine.storeSnapshot(event("a", 5));
        assertThat(engine.readSnapshot("a")).get().extracting(DomainEventMessage::getSequenceNumber).isEqualTo(10L);
        engine.storeSnapshot(event("a", 20));
        assertThat(engine.readSnapshot("a")).get().extracting(DomainEventMessage::getSequenceNumber).isEqualTo(20L);
        assertThat(engine.readSnapshot("b")).isEmpty();
    }

    @Test
    void events_without_aggregate_are_stored_and_tracked() {
        engine.appendEvents(new GenericEventMessage<>(new EmailVerified("x", "x@example.org", Instant.EPOCH)));
        List<TrackedEventMessage<?>> all = readAll(engine, null);
        assertThat(all).hasSize(1);
        assertThat(all.get(0)).isNotInstanceOf(DomainEventMessage.class);
    }

    @Test
    void head_and_time_tokens_point_where_expected() {
        engine.appendEvents(event("a", 0));
        engine.appendEvents(event("a", 1));
        TrackingToken head = engine.createHeadToken();
        assertThat(readAll(engine, head)).isEmpty();
        engine.appendEvents(event("a", 2));
        assertThat(readAll(engine, head)).hasSize(1);
        assertThat(engine.createTailToken()).isNull();
        assertThat(readAll(engine, engine.createTokenAt(Instant.EPOCH))).hasSize(3);
    }
}
