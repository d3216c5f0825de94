package org.trustledger.server.config;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index keys ordered by value, and the one-time rebuild of a store whose indexes were built in the old order. */
class OrderedIndexH2BackendTest {

    @TempDir
    Path dataDir;

    @Test
    void aStoreWrittenWithTheOldKeyOrderIsRebuiltOnceAndAnswersEveryLookupAsBefore() {
        // Written exactly as stores were written before: plain H2Backend, serialized-byte key order.
        try (MVStore store = new MVStore.Builder().fileName(dataDir.resolve("ledger.mv.db").toString()).open()) {
            MongoServer server = new MongoServer(new H2Backend(store));
            server.bind("127.0.0.1", 0);
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
                write(client.getDatabase("trustledger").getCollection("events"), 0, 3_000);
                client.getDatabase("trustledger").getCollection("kinds").insertOne(everyKind());
            }
            assertThat(store.hasMap(OrderedIndexH2Backend.FORMAT_MAP)).isFalse();
            server.shutdown(); // closes the backend and commits and closes the store
        }

        for (int start = 0; start < 2; start++) {
            try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir);
                    MongoClient client = MongoClients.create(mongo.connectionString("trustledger"))) {
                MongoCollection<Document> events = client.getDatabase("trustledger").getCollection("events");
                // Documents written with Java serialization read back the same once rewritten as BSON.
                assertThat(client.getDatabase("trustledger").getCollection("kinds").find().first()).isEqualTo(everyKind());
                int total = 3_000 + start * 1_000;
                assertThat(events.countDocuments()).isEqualTo(total);
                Random random = new Random(start);
                for (int i = 0; i < 500; i++) {
                    long id = random.nextInt(total);
                    Document byId = events.find(eq("_id", id)).first();
                    assertThat(byId).as("_id %d", id).isNotNull();
                    assertThat(events.find(eq("aggSeq", byId.getString("aggSeq"))).first()).isEqualTo(byId);
                }
                List<Long> some = LongStream.range(0, 50).map(i -> i * 37 % total).boxed().toList();
                assertThat(events.find(in("_id", some)).into(new ArrayList<>())).hasSize(some.size());
                assertThat(events.find(eq("_id", (long) total)).first()).isNull();
                // The unique indexes still refuse what they refused before, rebuilt or not.
                assertThatThrownBy(() -> events.insertOne(event(5)))
                        .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
                assertThatThrownBy(() -> events.insertOne(event(6).append("_id", 10_000_000L)))
                        .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
                write(events, total, total + 1_000);
            }
        }
    }

    @Test
    void keyOrderIsATotalOrderConsistentWithEquality() {
        OrderedIndexH2Backend.KeyOrder order = new OrderedIndexH2Backend.KeyOrder();
        Random random = new Random(7);
        List<KeyValue> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add(randomKey(random));
        }
        for (KeyValue a : keys) {
            for (KeyValue b : keys) {
                int ab = order.compare(key(a), key(b));
                assertThat(Integer.signum(ab)).as("%s vs %s", a, b).isEqualTo(-Integer.signum(order.compare(key(b), key(a))));
                assertThat(ab == 0).as("%s vs %s", a, b).isEqualTo(a.equals(b));
                for (KeyValue c : keys.subList(0, 40)) {
                    if (ab < 0 && order.compare(key(b), key(c)) < 0) {
                        assertThat(order.compare(key(a), key(c))).as("%s < %s < %s", a, b, c).isNegative();
                    }
                }
            }
        }
        assertThat(order.compare(key(new KeyValue(2.0)), key(new KeyValue(10.0)))).isNegative();
        assertThat(order.compare(key(new KeyValue("a", 2.0)), key(new KeyValue("a", 1.0)))).isPositive();
    }

    @Test
    void valuesComparedDirectlyAreOrderedAsMongoJavaServerOrdersThem() {
        de.bwaldvogel.mongo.backend.ValueComparator theirs = de.bwaldvogel.mongo.backend.ValueComparator.ascWithoutListHandling();
        Random random = new Random(13);
        List<Object> values = new ArrayList<>(List.of("", "a", "ab", "B", "é", "証明書", "\uD83D\uDE00", Long.MIN_VALUE,
                Long.MAX_VALUE, (1L << 53) + 1, 1L << 53, 0L, -1L, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 7,
                7L, 7.0, 7.5, 3_000_000_000.0));
        for (int i = 0; i < 400; i++) {
            values.add(switch (random.nextInt(4)) {
                case 0 -> "m-" + Long.toString(random.nextLong(), 36);
                case 1 -> random.nextLong() >> random.nextInt(64);
                case 2 -> random.nextInt() >> random.nextInt(32);
                default -> random.nextBoolean() ? (long) random.nextInt(10) : random.nextInt(10);
            });
        }
        for (Object a : values) {
            for (Object b : values) {
                assertThat(Integer.signum(OrderedIndexH2Backend.KeyOrder.compareValue(a, b))).as("%s (%s) vs %s (%s)",
                        a, a.getClass().getSimpleName(), b, b.getClass().getSimpleName())
                        .isEqualTo(Integer.signum(theirs.compare(a, b)));
            }
        }
    }

    @Test
    void keysAreWrittenAsBsonAndReadBackEqualAlongsideKeysWrittenBefore() {
        OrderedIndexH2Backend.KeyOrder order = new OrderedIndexH2Backend.KeyOrder();
        ObjectDataType before = new ObjectDataType(); // how every key was written until 2026-12-04
        de.bwaldvogel.mongo.bson.Document nested = new de.bwaldvogel.mongo.bson.Document("k", 3.0)
                .append("list", new ArrayList<>(List.of("a", 1.0)));
        List<KeyValue> keys = new ArrayList<>(List.of(new KeyValue("m-1"), new KeyValue("m-1", 7L),
                new KeyValue(1.5, true, false), new KeyValue((Object) null), new KeyValue(Long.MAX_VALUE - 1),
                new KeyValue("Grüße, 証明書", ""), new KeyValue(java.time.Instant.ofEpochMilli(1_763_900_000_123L)),
                new KeyValue(new de.bwaldvogel.mongo.bson.ObjectId("65f0c0ffee0000000000beef")), new KeyValue(nested),
                new KeyValue(Double.NaN, -0.0, 42)));
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            keys.add(randomKey(random));
        }
        WriteBuffer buffer = new WriteBuffer();
        for (KeyValue key : keys) {
            assertThat(OrderedIndexH2Backend.KeyOrder.bsonExact(key)).as("%s", key).isTrue();
            order.write(buffer, key(key));
            before.write(buffer, key); // a page may hold both until it is rewritten
        }
        ByteBuffer written = buffer.getBuffer().flip();
        List<OrderedIndexH2Backend.StoredKey> readBack = new ArrayList<>();
        for (KeyValue key : keys) {
            int at = written.position();
            OrderedIndexH2Backend.StoredKey read = (OrderedIndexH2Backend.StoredKey) order.read(written);
            assertThat(read.values()).as("%s written as BSON", key).isEqualTo(key);
            assertThat(order.compare(read, key(key))).isZero();
            assertThat(written.get(at)).isEqualTo(OrderedIndexH2Backend.KeyOrder.BSON_KEY);
            assertThat(read.encoded()).as("%s keeps the bytes it was read from", key).isTrue();
            OrderedIndexH2Backend.StoredKey old = (OrderedIndexH2Backend.StoredKey) order.read(written);
            assertThat(old.values()).as("%s written by H2", key).isEqualTo(key);
            assertThat(old.encoded()).isFalse();
            readBack.add(read);
            readBack.add(old);
        }
        assertThat(written.hasRemaining()).isFalse();

        // Written again (a page rewrite), both come out as BSON: the first its very bytes, the second encoded anew.
        WriteBuffer again = new WriteBuffer();
        for (OrderedIndexH2Backend.StoredKey key : readBack) {
            order.write(again, key);
            assertThat(key.encoded()).isTrue();
        }
        ByteBuffer rewritten = again.getBuffer().flip();
        ByteBuffer first = buffer.getBuffer().flip();
        for (KeyValue key : keys) {
            byte[] expected = new byte[OrderedIndexH2Backend.KeyOrder.encode(key).length];
            first.get(expected);
            before.read(first); // H2's copy
            for (int copy = 0; copy < 2; copy++) {
                byte[] actual = new byte[expected.length];
                rewritten.get(actual);
                assertThat(actual).as("%s, copy %d", key, copy).isEqualTo(expected);
            }
        }
        assertThat(rewritten.hasRemaining()).isFalse();

        // A value of a kind outside the ledger's keys keeps H2's serialization.
        KeyValue binary = new KeyValue(java.util.UUID.fromString("c0ffee00-0000-4000-8000-00000000beef"));
        assertThat(OrderedIndexH2Backend.KeyOrder.bsonExact(binary)).isFalse();
        WriteBuffer other = new WriteBuffer();
        order.write(other, key(binary));
        ByteBuffer otherWritten = other.getBuffer().flip();
        assertThat(otherWritten.get(0)).isNotEqualTo(OrderedIndexH2Backend.KeyOrder.BSON_KEY);
        assertThat(((OrderedIndexH2Backend.StoredKey) order.read(otherWritten)).values()).isEqualTo(binary);
    }

    /**
     * A commit holds the commands up only until it has taken its snapshot: a command changing a document in
     * place and adding another runs while the commit writes, and the commit holds the store as it was when
     * it began (what a crash right after it leaves).
     */
    @Test
    void commands_go_on_while_a_commit_writes_and_the_commit_holds_the_store_as_it_began() throws Exception {
        MVStore store = EmbeddedMongo.open(dataDir);
        OrderedIndexH2Backend backend = new OrderedIndexH2Backend(store);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        List<String> during = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            MongoCollection<Document> c = client.getDatabase("trustledger").getCollection("c");
            c.createIndex(Indexes.ascending("owner", "n"), new IndexOptions().unique(true));
            for (int i = 0; i < 200; i++) {
                c.insertOne(new Document("_id", "d" + i).append("owner", "m" + i % 3).append("n", i));
            }
            backend.commit();
            c.updateOne(eq("_id", "d7"), new Document("$set", new Document("n", 1_007)));

            SparseChunkFileStore files = (SparseChunkFileStore) store.getFileStore();
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            files.onSnapshotTaken(() -> {
                backend.releaseCommandsEarly();
                if (first.getAndSet(false)) {
                    try {
                        other.submit(() -> {
                            c.updateOne(eq("_id", "d7"), new Document("$set", new Document("n", 2_007)));
                            c.updateOne(eq("_id", "d8"), new Document("$set", new Document("owner", "m9")));
                            c.insertOne(new Document("_id", "late").append("owner", "m1").append("n", -1));
                            during.add("done");
                        }).get(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        during.add("blocked: " + e);
                    }
                }
            });
            backend.commit();
            assertThat(during).containsExactly("done");
            assertThat(c.find(eq("_id", "d7")).first().getInteger("n")).isEqualTo(2_007);
            store.closeImmediately(); // a crash right after the commit
        } finally {
            other.shutdownNow();
            server.shutdownNow();
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir);
                MongoClient client = MongoClients.create(mongo.connectionString("trustledger"))) {
            MongoCollection<Document> c = client.getDatabase("trustledger").getCollection("c");
            assertThat(c.countDocuments()).isEqualTo(200);
            assertThat(c.find(eq("_id", "d7")).first().getInteger("n")).isEqualTo(1_007);
            assertThat(c.find(eq("_id", "d8")).first().getString("owner")).isEqualTo("m2");
            assertThat(c.find(eq("_id", "late")).first()).isNull();
            // The index holds the same snapshot as the documents.
            assertThat(c.find(new Document("owner", "m1").append("n", 1_007)).first()).isNotNull();
            assertThat(c.find(new Document("owner", "m1").append("n", 2_007)).first()).isNull();
            assertThat(c.find(new Document("owner", "m9")).first()).isNull();
            assertThat(c.find(new Document("owner", "m2").append("n", 8)).first().getString("_id")).isEqualTo("d8");
            assertThat(c.find(new Document("owner", "m1")).into(new ArrayList<>())).hasSize(67);
        }
    }

    /**
     * A commit encodes the documents it will write before it lets the commands go on, but not the keys: a
     * key holding a value that could change in place (a document, a list) is encoded as it is put.
     */
    @Test
    void keys_holding_a_document_or_a_list_are_encoded_as_they_are_put() {
        MVStore store = new MVStore.Builder().open();
        MVMap<OrderedIndexH2Backend.StoredKey, Object> map = store.openMap("i", OrderedIndexH2Backend.keyOrdered());
        OrderedIndexH2Backend.OrderedIndex index = new OrderedIndexH2Backend.OrderedIndex(map, "i",
                List.of(new de.bwaldvogel.mongo.backend.IndexKey("a", true)), false);
        assertThat(index.putKeyPosition(new KeyValue("plain"), "p1")).isTrue();
        assertThat(index.putKeyPosition(new KeyValue(new de.bwaldvogel.mongo.bson.Document("x", 1.0)), "p2")).isTrue();
        assertThat(index.putKeyPosition(new KeyValue(List.of(new ArrayList<>(List.of("a", 2.0)))), "p3")).isTrue();
        Map<Object, Boolean> encoded = new java.util.HashMap<>();
        map.keyList().forEach(key -> encoded.put(map.get(key), key.encoded()));
        assertThat(encoded).containsExactlyInAnyOrderEntriesOf(Map.of("p1", false, "p2", true, "p3", true));
        store.close();
    }

    /** A commit writes each key once and keeps its bytes; the store reads them back with their bytes. */
    @Test
    void keys_keep_their_bytes_across_commits_and_reads_from_the_file() {
        String file = dataDir.resolve("keys.mv.db").toString();
        try (MVStore store = new MVStore.Builder().fileName(file).open()) {
            MVMap<OrderedIndexH2Backend.StoredKey, Object> map = store.openMap("i", OrderedIndexH2Backend.keyOrdered());
            for (int i = 0; i < 500; i++) {
                map.put(key(new KeyValue("m" + i % 7, (long) i)), "p" + i);
            }
            assertThat(map.keyList()).noneMatch(OrderedIndexH2Backend.StoredKey::encoded);
            store.commit();
            assertThat(map.keyList()).allMatch(OrderedIndexH2Backend.StoredKey::encoded);
        }
        try (MVStore store = new MVStore.Builder().fileName(file).open()) {
            MVMap<OrderedIndexH2Backend.StoredKey, Object> map = store.openMap("i", OrderedIndexH2Backend.keyOrdered());
            assertThat(map.keyList()).hasSize(500).allMatch(OrderedIndexH2Backend.StoredKey::encoded);
            map.put(key(new KeyValue("m3", 1_000L)), "p1000"); // its page is written again, with the keys read
            map.remove(key(new KeyValue("m0", 0L)));
            store.commit();
        }
        try (MVStore store = new MVStore.Builder().fileName(file).open()) {
            MVMap<OrderedIndexH2Backend.StoredKey, Object> map = store.openMap("i", OrderedIndexH2Backend.keyOrdered());
            assertThat(map.sizeAsLong()).isEqualTo(500);
            for (int i = 1; i < 500; i++) {
                assertThat(map.get(key(new KeyValue("m" + i % 7, (long) i)))).isEqualTo("p" + i);
            }
            assertThat(map.get(key(new KeyValue("m3", 1_000L)))).isEqualTo("p1000");
            assertThat(map.get(key(new KeyValue("m0", 0L)))).isNull();
        }
    }

    private static OrderedIndexH2Backend.StoredKey key(KeyValue values) {
        return new OrderedIndexH2Backend.StoredKey(values);
    }

    private static KeyValue randomKey(Random random) {
        int size = 1 + random.nextInt(2);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            values.add(switch (random.nextInt(5)) {
                case 0 -> (double) random.nextInt(20);
                case 1 -> (long) random.nextInt(20);
                case 2 -> "s" + random.nextInt(20);
                case 3 -> random.nextBoolean();
                default -> new de.bwaldvogel.mongo.bson.Document("k", random.nextInt(3));
            });
        }
        return new KeyValue(values);
    }

    private static void write(MongoCollection<Document> events, int from, int to) {
        events.createIndex(Indexes.ascending("aggSeq"), new IndexOptions().unique(true).name("aggregate_sequence"));
        List<Document> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(event(i));
        }
        events.insertMany(batch);
    }

    /** A document with a value of every kind the ledger's collections hold, and some they might. */
    static Document everyKind() {
        return new Document("_id", "kinds").append("string", "Grüße, 証明書").append("int", 42).append("long", 1L << 40)
                .append("double", 2.5).append("true", true).append("null", null)
                .append("date", new java.util.Date(1_763_900_000_000L))
                .append("binary", new org.bson.types.Binary(new byte[] {0, 1, 2, (byte) 255}))
                .append("objectId", new org.bson.types.ObjectId("65f0c0ffee0000000000beef"))
                .append("decimal", new org.bson.types.Decimal128(new java.math.BigDecimal("12.345")))
                .append("list", List.of(1, "two", new Document("three", 3L)))
                .append("nested", new Document("deeper", new Document("deepest", List.of()))).append("empty", "");
    }

    @Test
    void documentsAreStoredAsBsonAndReadBackAsTheyWereWritten() {
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir);
                MongoClient client = MongoClients.create(mongo.connectionString("trustledger"))) {
            client.getDatabase("trustledger").getCollection("kinds").insertOne(everyKind());
        }
        try (MVStore store = new MVStore.Builder().fileName(dataDir.resolve("ledger.mv.db").toString()).readOnly().open()) {
            assertThat(store.openMap(OrderedIndexH2Backend.FORMAT_MAP).get(OrderedIndexH2Backend.DOCUMENT_VALUES))
                    .isEqualTo("bson-1");
            // Raw, the stored value is a BSON document: read with the BSON type, not Java deserialization.
            var data = store.openMap(OrderedIndexH2Backend.DATA_PREFIX + "trustledger.kinds",
                    OrderedIndexH2Backend.bsonValued());
            assertThat(data.values()).singleElement()
                    .satisfies(d -> assertThat(d.document().get("string")).isEqualTo("Grüße, 証明書"));
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir);
                MongoClient client = MongoClients.create(mongo.connectionString("trustledger"))) {
            assertThat(client.getDatabase("trustledger").getCollection("kinds").find().first()).isEqualTo(everyKind());
        }
    }

    /** The store's own BSON encoder writes exactly the bytes mongo-java-server's does. */
    @Test
    void documents_are_encoded_byte_for_byte_as_mongo_java_server_encodes_them() {
        List<de.bwaldvogel.mongo.bson.Document> documents = new ArrayList<>();
        org.bson.io.BasicOutputBuffer wire = new org.bson.io.BasicOutputBuffer();
        new org.bson.codecs.DocumentCodec().encode(new org.bson.BsonBinaryWriter(wire),
                everyKind().append("unicode key ✓", List.of("\ud83d\udd12", List.of(), new Document())),
                org.bson.codecs.EncoderContext.builder().build());
        documents.add(de.bwaldvogel.mongo.wire.bson.BsonDecoder.decodeBson(io.netty.buffer.Unpooled.wrappedBuffer(wire.toByteArray())));
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            de.bwaldvogel.mongo.bson.Document d = new de.bwaldvogel.mongo.bson.Document("_id", "d" + i);
            for (int f = random.nextInt(6); f > 0; f--) {
                d.put("f" + random.nextInt(10), switch (random.nextInt(6)) {
                    case 0 -> "s".repeat(random.nextInt(300));
                    case 1 -> random.nextLong();
                    case 2 -> List.of(random.nextInt(), "x", new de.bwaldvogel.mongo.bson.Document("n", random.nextDouble()));
                    case 3 -> java.time.Instant.ofEpochMilli(random.nextLong(1L << 42));
                    case 4 -> new de.bwaldvogel.mongo.bson.Document("deep", new de.bwaldvogel.mongo.bson.Document("er", null));
                    default -> random.nextBoolean();
                });
            }
            documents.add(d);
        }
        for (de.bwaldvogel.mongo.bson.Document d : documents) {
            io.netty.buffer.ByteBuf theirs = io.netty.buffer.Unpooled.buffer();
            io.netty.buffer.ByteBuf ours = io.netty.buffer.Unpooled.buffer();
            de.bwaldvogel.mongo.wire.bson.BsonEncoder.encodeDocument(d, theirs);
            OrderedIndexH2Backend.BsonDocuments.encode(d, ours);
            assertThat(io.netty.buffer.ByteBufUtil.hexDump(ours)).as("%s", d).isEqualTo(io.netty.buffer.ByteBufUtil.hexDump(theirs));
        }
    }

    private static Document event(long i) {
        return new Document("_id", i).append("aggSeq", "member-" + (i % 97) + "/" + (i / 97)).append("payload", "x" + i);
    }

    /**
     * {@code $in} matched with a set (InMatchingCollection) answers exactly what value-by-value
     * matching answers: mongo-java-server's memory backend, which has no such path, is the reference.
     */
    @Test
    void inQueriesAnswerWhatValueByValueMatchingAnswers() {
        try (AgainstMemory stores = AgainstMemory.on(dataDir)) {
            List<MongoCollection<Document>> both = stores.collections("c");
            Random random = new Random(7);
            for (MongoCollection<Document> c : both) {
                c.createIndex(Indexes.ascending("ref"), new IndexOptions().unique(true).sparse(true));
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    Object n = switch (i % 5) { // numbers of every kind, strings, arrays
                        case 0 -> (long) i;
                        case 1 -> i;
                        case 2 -> (double) i;
                        case 3 -> "s" + i;
                        default -> List.of("s" + i, (long) i);
                    };
                    Document doc = new Document("_id", i % 2 == 0 ? "id" + i : (Object) (long) i).append("n", n);
                    docs.add(i % 3 == 0 ? doc.append("ref", "r" + i) : doc);
                }
                c.insertMany(docs);
            }
            for (int round = 0; round < 40; round++) {
                List<Object> values = new ArrayList<>();
                int size = random.nextInt(60);
                boolean strings = random.nextBoolean();
                boolean mixed = random.nextInt(4) == 0;
                for (int k = 0; k < size; k++) {
                    int i = random.nextInt(320);
                    values.add(mixed && random.nextBoolean() ? (Object) i : strings ? new String[] {"id", "s", "r"}[random.nextInt(3)] + i
                            : (Object) (long) i);
                }
                for (String field : List.of("_id", "n", "ref")) {
                    List<Object> got = new ArrayList<>();
                    List<Object> expected = new ArrayList<>();
                    both.get(0).find(in(field, values)).forEach(d -> got.add(d.get("_id")));
                    both.get(1).find(in(field, values)).forEach(d -> expected.add(d.get("_id")));
                    assertThat(got).as("%s $in %s", field, values).containsExactlyInAnyOrderElementsOf(expected);
                }
            }
        }
    }

    /**
     * A query for the first fields of a compound unique index is answered from that index, as MongoDB
     * answers it: the same documents as mongo-java-server's memory backend finds by scanning.
     */
    @Test
    void a_query_on_the_first_fields_of_a_compound_index_is_a_range_of_it() {
        try (AgainstMemory stores = AgainstMemory.on(dataDir)) {
            List<MongoCollection<Document>> both = stores.collections("c");
            for (MongoCollection<Document> c : both) {
                c.createIndex(Indexes.ascending("owner", "kind", "_id"), new IndexOptions().unique(true));
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    Object owner = switch (i % 7) { // strings, numbers of every kind, arrays, nothing
                        case 0 -> (long) (i % 5);
                        case 1 -> i % 5;
                        case 2 -> (double) (i % 5);
                        case 3 -> List.of("m" + i % 5, "m" + (i + 1) % 5);
                        case 4 -> null;
                        default -> "m" + i % 5;
                    };
                    Document doc = new Document("_id", "c" + i).append("kind", i % 3 == 0 ? "server" : "client");
                    docs.add(i % 7 == 6 ? doc : doc.append("owner", owner));
                }
                c.insertMany(docs);
            }
            List<Document> queries = new ArrayList<>();
            for (Object owner : List.<Object>of("m0", "m3", "m9", 2L, 2, 2.0, 4L)) {
                queries.add(new Document("owner", owner));
                queries.add(new Document("kind", "server").append("owner", owner));
            }
            for (Document query : queries) {
                List<Object> got = new ArrayList<>();
                List<Object> expected = new ArrayList<>();
                both.get(0).find(query).forEach(d -> got.add(d.get("_id")));
                both.get(1).find(query).forEach(d -> expected.add(d.get("_id")));
                assertThat(got).as("%s", query).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(expected.isEmpty()).as("%s finds nothing", query).isEqualTo(query.containsValue("m9"));
            }
        }
    }

    @Test
    void only_plain_values_of_a_proper_prefix_take_the_range() {
        MVStore store = new MVStore.Builder().open();
        MVMap<OrderedIndexH2Backend.StoredKey, Object> map = store.openMap("i", OrderedIndexH2Backend.keyOrdered());
        OrderedIndexH2Backend.OrderedIndex index = new OrderedIndexH2Backend.OrderedIndex(map, "i",
                List.of(new de.bwaldvogel.mongo.backend.IndexKey("owner", true),
                        new de.bwaldvogel.mongo.backend.IndexKey("_id", true)), false);
        for (int i = 0; i < 50; i++) {
            map.put(key(new KeyValue(List.of("m" + i % 5, "c" + i))), "c" + i);
        }
        map.put(key(new KeyValue(java.util.Arrays.asList(null, "c-none"))), "c-none");
        de.bwaldvogel.mongo.bson.Document byOwner = new de.bwaldvogel.mongo.bson.Document("owner", "m3");
        assertThat(index.canHandle(byOwner)).isTrue();
        assertThat(index.getPositions(byOwner)).containsExactly("c13", "c18", "c23", "c28", "c3", "c33", "c38", "c43",
                "c48", "c8");
        assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("owner", "m7"))).isEmpty();
        for (de.bwaldvogel.mongo.bson.Document notAPrefix : List.of(
                new de.bwaldvogel.mongo.bson.Document("_id", "c3"),
                new de.bwaldvogel.mongo.bson.Document("owner", null),
                new de.bwaldvogel.mongo.bson.Document("owner", new de.bwaldvogel.mongo.bson.Document("$gt", "m1")),
                new de.bwaldvogel.mongo.bson.Document("owner", List.of("m1")),
                new de.bwaldvogel.mongo.bson.Document("owner", "m1").append("other", 1))) {
            assertThat(index.prefixOf(notAPrefix)).as("%s", notAPrefix).isNull();
        }
        store.close();
    }

    /**
     * The index's own path for documents whose indexed fields are top-level strings gives the keys
     * mongo-java-server's code gives, and every other document still goes that code's way.
     */
    @Test
    void plain_string_keys_are_the_ones_mongo_java_server_computes() {
        MVStore store = new MVStore.Builder().open();
        List<de.bwaldvogel.mongo.backend.IndexKey> keys = List.of(new de.bwaldvogel.mongo.backend.IndexKey("owner", true),
                new de.bwaldvogel.mongo.backend.IndexKey("_id", true));
        OrderedIndexH2Backend.OrderedIndex index = new OrderedIndexH2Backend.OrderedIndex(
                store.openMap("i", OrderedIndexH2Backend.keyOrdered()), "i", keys, false);
        de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex reference =
                new de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex("i", keys, false);
        List<de.bwaldvogel.mongo.bson.Document> documents = new ArrayList<>();
        documents.add(new de.bwaldvogel.mongo.bson.Document("_id", "a").append("owner", "m1"));
        documents.add(new de.bwaldvogel.mongo.bson.Document("_id", "b").append("owner", ""));
        for (Object owner : java.util.Arrays.asList(2L, 2, 2.0, -0.0, Long.MAX_VALUE, List.of("m1", "m2"), null,
                new de.bwaldvogel.mongo.bson.Document("x", "y"), true)) {
            documents.add(new de.bwaldvogel.mongo.bson.Document("_id", "c").append("owner", owner));
        }
        documents.add(new de.bwaldvogel.mongo.bson.Document("_id", "d"));
        documents.add(new de.bwaldvogel.mongo.bson.Document("_id", 5L).append("owner", "m1"));
        for (de.bwaldvogel.mongo.bson.Document d : documents) {
            assertThat(index.getKeyValues(d)).as("%s", d).isEqualTo(reference.getKeyValues(d));
            assertThat(index.plainKey(d) != null).as("%s takes the plain path", d)
                    .isEqualTo(d.get("owner") instanceof String && d.get("_id") instanceof String);
        }
        OrderedIndexH2Backend.OrderedIndex byPath = new OrderedIndexH2Backend.OrderedIndex(
                store.openMap("p", OrderedIndexH2Backend.keyOrdered()), "p",
                List.of(new de.bwaldvogel.mongo.backend.IndexKey("a.b", true)), false);
        OrderedIndexH2Backend.OrderedIndex sparse = new OrderedIndexH2Backend.OrderedIndex(
                store.openMap("s", OrderedIndexH2Backend.keyOrdered()), "s", List.of(keys.get(0)), true);
        de.bwaldvogel.mongo.bson.Document nested = new de.bwaldvogel.mongo.bson.Document("a",
                new de.bwaldvogel.mongo.bson.Document("b", "x")).append("owner", "m1");
        assertThat(byPath.plainKey(nested)).isNull();
        assertThat(sparse.plainKey(nested)).isNull();
        store.close();
    }

    /** Through the server: duplicates refused, keys changed and removed, as the memory backend does. */
    @Test
    void string_keyed_writes_keep_the_unique_index_as_the_memory_backend_does() {
        try (AgainstMemory stores = AgainstMemory.on(dataDir)) {
            List<MongoCollection<Document>> both = stores.collections("c");
            List<List<Object>> outcomes = new ArrayList<>();
            for (MongoCollection<Document> c : both) {
                List<Object> outcome = new ArrayList<>();
                c.createIndex(Indexes.ascending("owner", "kind"), new IndexOptions().unique(true));
                for (int i = 0; i < 60; i++) {
                    Document doc = new Document("_id", "d" + i % 50).append("owner", "m" + i % 7)
                            .append("kind", i % 11 == 0 ? 3 : "k" + i % 3);
                    try {
                        c.insertOne(doc);
                        outcome.add("inserted " + doc.get("_id"));
                    } catch (MongoWriteException e) {
                        outcome.add(e.getCode());
                    }
                }
                for (int i = 0; i < 50; i += 3) {
                    try {
                        outcome.add(c.updateOne(eq("_id", "d" + i), new Document("$set",
                                new Document("owner", "n" + i % 4))).getModifiedCount());
                    } catch (MongoWriteException e) {
                        outcome.add(e.getCode());
                    }
                }
                c.deleteMany(in("owner", "m1", "n2"));
                for (String owner : List.of("m0", "m1", "n0", "n2", "n3")) {
                    for (Object kind : List.of("k0", "k1", "k2", 3)) {
                        List<Object> ids = new ArrayList<>();
                        c.find(new Document("owner", owner).append("kind", kind)).forEach(d -> ids.add(d.get("_id")));
                        outcome.add(owner + "/" + kind + " " + ids);
                    }
                }
                c.find().sort(new Document("_id", 1)).forEach(outcome::add);
                outcomes.add(outcome);
            }
            assertThat(outcomes.get(0)).contains(11000).isEqualTo(outcomes.get(1));
        }
    }

    /**
     * H2 splits pages by the memory its data type reports: a document's estimate must follow its real
     * size, or pages of large documents grow far past H2's 16 KB and each commit re-encodes them whole.
     */
    @Test
    void a_documents_memory_estimate_follows_its_encoded_size() {
        List<de.bwaldvogel.mongo.bson.Document> documents = new ArrayList<>();
        documents.add(new de.bwaldvogel.mongo.bson.Document("_id", "t").append("n", 1L));
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            serials.add(Long.toHexString(new Random(i).nextLong()) + Long.toHexString(i));
        }
        documents.add(new de.bwaldvogel.mongo.bson.Document("_id", "member").append("serials", serials));
        documents.add(new de.bwaldvogel.mongo.bson.Document("_id", 7L).append("payload", "x".repeat(3000))
                .append("meta", new de.bwaldvogel.mongo.bson.Document("a", List.of(1, 2, 3)).append("b", true))
                .append("bytes", new de.bwaldvogel.mongo.bson.BinData(new byte[500])));
        for (de.bwaldvogel.mongo.bson.Document d : documents) {
            io.netty.buffer.ByteBuf bson = io.netty.buffer.Unpooled.buffer();
            de.bwaldvogel.mongo.wire.bson.BsonEncoder.encodeDocument(d, bson);
            int encoded = bson.readableBytes();
            bson.release();
            int estimate = OrderedIndexH2Backend.BsonDocuments.estimate(d, 0);
            assertThat(estimate).as("estimate of a document of %d bytes", encoded)
                    .isBetween(encoded / 2, encoded * 2);
        }
        // The large ones weigh as much as they are: a 16 KB page holds one or two, not 48.
        assertThat(new OrderedIndexH2Backend.BsonDocuments().getMemory(new OrderedIndexH2Backend.Stored(documents.get(1))))
                .isGreaterThan(8_000);
    }

    /**
     * A commit persists whole commands only (the commit lock): H2 must never commit from inside a write.
     * With its default write buffer it did, in the writing thread, once a command's unsaved changes passed
     * about 19 MB, and a kill right after such a commit left a document without its index entries.
     */
    @Test
    void the_store_never_commits_inside_a_command_however_much_it_writes() {
        try (Served served = Served.on(dataDir)) {
            MVStore store = served.store();
            OrderedIndexH2Backend backend = served.backend();
            MongoCollection<Document> big = served.collection("big");
            big.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true));
            backend.commit();
            long version = store.getCurrentVersion();
            String filler = "x".repeat(20_000);
            for (int batch = 0; batch < 10; batch++) { // 10 commands of 5 MB each: 50 MB unsaved
                List<Document> documents = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                    documents.add(new Document("_id", batch * 1_000 + i).append("k", "k" + (batch * 1_000 + i))
                            .append("filler", filler));
                }
                big.insertMany(documents);
            }
            assertThat(store.getCurrentVersion()).as("commits made by the store itself").isEqualTo(version);
            assertThat(store.hasUnsavedChanges()).isTrue();
            backend.commit();
            assertThat(store.getCurrentVersion()).isGreaterThan(version);
            assertThat(store.hasUnsavedChanges()).isFalse();
            assertThat(big.countDocuments()).isEqualTo(2_500);
        }
    }

    /** Documents 0 to n - 1, each {@code v: 0} and the filler. */
    private static void insertFilled(MongoCollection<Document> docs, int n, String filler) {
        List<Document> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(new Document("_id", i).append("v", 0).append("filler", filler));
        }
        docs.insertMany(all);
    }

    /**
     * A compaction step moves the live pages of the sparsest chunks, a little at a time, while writes go
     * on: the chunks' fill rate rises to the threshold, and nothing is lost.
     */
    @Test
    void compaction_steps_raise_the_fill_rate_to_the_threshold() {
        try (Served served = Served.on(dataDir)) {
            OrderedIndexH2Backend backend = served.backend();
            assertThat(served.store().getFileStore()).isInstanceOf(SparseChunkFileStore.class);
            MongoCollection<Document> docs = served.collection("docs");
            String filler = "x".repeat(500);
            insertFilled(docs, 4_000, filler);
            backend.commit();
            Random random = new Random(5);
            for (int round = 1; round <= 400 && backend.chunksFillRate() >= 30; round++) {
                for (int k = 0; k < 40; k++) {
                    docs.updateOne(eq("_id", random.nextInt(4_000)), new Document("$set", new Document("v", round)));
                }
                backend.commit(); // one small chunk per round, each leaving older ones sparser
            }
            int fillRate = backend.chunksFillRate();
            assertThat(fillRate).as("fill rate before compacting").isLessThan(OrderedIndexH2Backend.COMPACT_BEHIND_FILL_RATE);
            assertThat(backend.compactionStep()).as("a step when far behind").isEqualTo(50);
            int steps = 1;
            while (backend.chunksFillRate() < OrderedIndexH2Backend.COMPACT_BELOW_FILL_RATE && steps < 100) {
                // Writes go on between steps (H2 frees a chunk emptied by a step a few commits later).
                docs.updateOne(eq("_id", random.nextInt(4_000)), new Document("$set", new Document("v", -steps)));
                backend.commit();
                backend.compactionStep();
                steps++;
            }
            System.out.printf("fill rate %d %% -> %d %% in %d steps%n", fillRate, backend.chunksFillRate(), steps);
            assertThat(backend.chunksFillRate()).isGreaterThanOrEqualTo(OrderedIndexH2Backend.COMPACT_BELOW_FILL_RATE);
            assertThat(backend.compactionStep()).as("a step once at the threshold").isEqualTo(200);
            assertThat(docs.countDocuments()).isEqualTo(4_000);
            assertThat(docs.find(eq("_id", 1234)).first().getString("filler")).isEqualTo(filler);
        }
    }

    /**
     * H2 reuses a chunk's space only once none of its pages is live, and its own compaction runs only in
     * its background writer, which is off: updates scattered over a collection left every chunk partly
     * live and the file grew without bound (25 GB for a million events). The store's periodic work now
     * compacts sparse chunks.
     */
    @Test
    void scattered_updates_do_not_grow_the_file_without_bound() throws Exception {
        long[][] sizes = new long[2][2];
        for (int compacting = 0; compacting < 2; compacting++) {
            Path dir = dataDir.resolve("store" + compacting);
            try (Served served = Served.on(dir)) {
                OrderedIndexH2Backend backend = served.backend();
                MongoCollection<Document> docs = served.collection("docs");
                insertFilled(docs, 1_000, "y".repeat(1_000));
                backend.commit();
                Random random = new Random(3);
                int appended = 1_000;
                for (int round = 1; round <= 300; round++) {
                    // As the ledger does: documents appended for good (events, history entries) between
                    // documents updated again and again (read models).
                    List<Document> more = new ArrayList<>();
                    for (int k = 0; k < 50; k++) {
                        more.add(new Document("_id", appended++).append("entry", "z".repeat(100)));
                    }
                    docs.insertMany(more);
                    for (int k = 0; k < 100; k++) {
                        docs.updateOne(eq("_id", random.nextInt(1_000)), new Document("$set", new Document("v", round)));
                    }
                    if (compacting == 1) {
                        backend.commitIfChanged(); // the store thread's two tasks
                        backend.compactionStep();
                    } else {
                        backend.commit();
                    }
                    if (round % 150 == 0) {
                        sizes[compacting][round / 150 - 1] = java.nio.file.Files.size(dir.resolve("ledger.mv.db"));
                    }
                }
                assertThat(docs.countDocuments()).isEqualTo(appended);
                if (compacting == 1) {
                    assertThat(backend.chunksFillRate()).isGreaterThanOrEqualTo(OrderedIndexH2Backend.COMPACT_BELOW_FILL_RATE / 2);
                }
            }
        }
        System.out.printf("file after 150 and 300 rounds of scattered updates: %,d and %,d bytes without compaction, "
                + "%,d and %,d with%n", sizes[0][0], sizes[0][1], sizes[1][0], sizes[1][1]);
        assertThat(sizes[1][1]).as("with compaction").isLessThan(sizes[0][1] / 2);
    }

    /**
     * Writes leave the collection's metadata alone: mongo-java-server's running total of the documents'
     * size (which encoded every document written, and rewrote the metadata map each time) is not kept.
     */
    @Test
    void writes_do_not_touch_the_collections_metadata() {
        try (Served served = Served.on(dataDir)) {
            MongoCollection<Document> docs = served.collection("docs");
            docs.insertOne(new Document("_id", "first"));
            MVMap<String, Object> meta = served.store().openMap(OrderedIndexH2Backend.META_PREFIX + "trustledger.docs");
            Map<String, Object> before = new java.util.TreeMap<>(meta);
            assertThat(before).containsKey("dataSize");
            for (int i = 0; i < 100; i++) {
                docs.insertOne(new Document("_id", i).append("v", "x".repeat(i)));
                docs.replaceOne(eq("_id", i), new Document("_id", i).append("v", "y".repeat(2 * i)));
            }
            docs.deleteMany(in("_id", List.of(1, 2, 3)));
            assertThat(docs.countDocuments()).isEqualTo(98);
            assertThat(new java.util.TreeMap<>(meta)).isEqualTo(before);
        }
    }

    /**
     * A page read from the file decodes only the documents asked for, and a commit that rewrites the page
     * copies the stored bytes of the others instead of decoding and encoding them again.
     */
    @Test
    void a_page_rewrite_copies_the_documents_that_did_not_change() {
        try (Served served = Served.on(dataDir)) {
            MongoCollection<Document> docs = served.collection("docs");
            for (int i = 0; i < 200; i++) {
                docs.insertOne(new Document("_id", String.format("d%03d", i)).append("v", i).append("pad", "p".repeat(40)));
            }
        }
        String data = OrderedIndexH2Backend.DATA_PREFIX + "trustledger.docs";
        try (MVStore store = EmbeddedMongo.open(dataDir)) {
            MVMap<Object, OrderedIndexH2Backend.Stored> map = store.openMap(data, OrderedIndexH2Backend.bsonValued());
            OrderedIndexH2Backend.Stored asked = map.get("d100");
            assertThat(asked.document().get("v")).isEqualTo(100);
            assertThat(map.values()).as("values read from the file").allMatch(OrderedIndexH2Backend.Stored::encoded)
                    .filteredOn(OrderedIndexH2Backend.Stored::decoded).containsExactly(asked);

            map.put("d100", new OrderedIndexH2Backend.Stored(
                    new de.bwaldvogel.mongo.bson.Document("_id", "d100").append("v", -1)));
            long version = store.getCurrentVersion();
            store.commit();
            assertThat(store.getCurrentVersion()).as("committed").isGreaterThan(version);
            assertThat(map.values()).as("decoded after the page was rewritten")
                    .filteredOn(OrderedIndexH2Backend.Stored::decoded).containsExactly(map.get("d100"));
        }
        try (Served served = Served.on(dataDir)) {
            MongoCollection<Document> docs = served.collection("docs");
            assertThat(docs.find(eq("_id", "d100")).first()).isEqualTo(new Document("_id", "d100").append("v", -1));
            assertThat(docs.find(eq("_id", "d101")).first())
                    .isEqualTo(new Document("_id", "d101").append("v", 101).append("pad", "p".repeat(40)));
            assertThat(docs.countDocuments()).isEqualTo(200);
        }
    }

    /**
     * Documents kept with their stored bytes read back as mongo-java-server's memory backend holds them,
     * through every kind of write (updates change the stored document in place), across commits,
     * compaction steps and restarts that leave only the bytes in memory.
     */
    @Test
    void stored_bytes_never_outlive_a_change_of_their_document() {
        Random random = new Random(11);
        try (EmbeddedMongo reference = EmbeddedMongo.inMemory();
                MongoClient referenceClient = MongoClients.create(reference.connectionString("trustledger"))) {
            MongoCollection<Document> expected = referenceClient.getDatabase("trustledger").getCollection("docs");
            for (int round = 0; round < 6; round++) {
                try (Served served = Served.on(dataDir)) {
                    MongoCollection<Document> docs = served.collection("docs");
                    assertThat(docs.find().sort(new Document("_id", 1)).into(new ArrayList<>()))
                            .as("after restart %d", round)
                            .isEqualTo(expected.find().sort(new Document("_id", 1)).into(new ArrayList<>()));
                    for (int op = 0; op < 400; op++) {
                        int id = random.nextInt(120);
                        for (MongoCollection<Document> c : List.of(docs, expected)) {
                            applyRandomWrite(c, id, new Random(round * 1000L + op));
                        }
                        switch (random.nextInt(40)) {
                            case 0 -> served.backend().commit();
                            case 1 -> served.backend().compactionStep();
                            default -> {
                            }
                        }
                    }
                    assertThat(docs.find().sort(new Document("_id", 1)).into(new ArrayList<>()))
                            .as("in round %d", round)
                            .isEqualTo(expected.find().sort(new Document("_id", 1)).into(new ArrayList<>()));
                }
            }
        }
    }

    private static void applyRandomWrite(MongoCollection<Document> docs, int id, Random random) {
        String key = "k" + id;
        switch (random.nextInt(7)) {
            case 0 -> docs.replaceOne(eq("_id", key), new Document("_id", key).append("n", random.nextInt(100))
                    .append("text", "t".repeat(random.nextInt(80))), new com.mongodb.client.model.ReplaceOptions().upsert(true));
            case 1 -> docs.updateOne(eq("_id", key), new Document("$set", new Document("s" + random.nextInt(4), random.nextLong())));
            case 2 -> docs.updateOne(eq("_id", key), new Document("$inc", new Document("n", 1)));
            case 3 -> docs.updateOne(eq("_id", key), new Document("$unset", new Document("text", "")));
            case 4 -> docs.updateOne(eq("_id", key), new Document("$push", new Document("list", random.nextInt(10))),
                    new com.mongodb.client.model.UpdateOptions().upsert(true));
            case 5 -> docs.findOneAndUpdate(eq("_id", key), new Document("$set", new Document("nested.at", random.nextInt(5))));
            default -> docs.deleteOne(eq("_id", key));
        }
    }

    /**
     * Group commit: every write whose durable commit returned survives a crash (the store closed without
     * its final commit), and writers that ask at the same time share commits.
     */
    @Test
    void durable_writes_survive_a_crash_and_concurrent_ones_share_commits() throws Exception {
        int writers = 8;
        int each = 100;
        long commits;
        try (Served served = Served.on(dataDir)) {
            MongoCollection<Document> docs = served.collection("docs");
            docs.insertOne(new Document("_id", "first"));
            served.backend().commit();
            long before = served.backend().commits();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        docs.insertOne(new Document("_id", writer + "/" + i));
                        served.backend().commitDurably();
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            commits = served.backend().commits() - before;
            docs.insertOne(new Document("_id", "never made durable"));
            served.store().closeImmediately(); // as a kill would: no final commit (then the server stops)
        }
        System.out.printf("%d durable writes by %d writers at once: %d commits%n", writers * each, writers, commits);
        assertThat(commits).as("commits for %d durable writes", writers * each).isPositive().isLessThan(writers * each);
        try (Served served = Served.on(dataDir)) {
            MongoCollection<Document> docs = served.collection("docs");
            assertThat(docs.countDocuments()).isEqualTo(1 + writers * each);
            assertThat(docs.find(eq("_id", "never made durable")).first()).isNull();
        }
    }

    /**
     * The embedded store on a file under {@code dir} and, as the reference, mongo-java-server's memory
     * backend (none of this backend's paths), each with a client.
     */
    private record AgainstMemory(EmbeddedMongo onFile, EmbeddedMongo reference, MongoClient a, MongoClient b)
            implements AutoCloseable {

        static AgainstMemory on(Path dir) {
            EmbeddedMongo onFile = EmbeddedMongo.onFile(dir);
            EmbeddedMongo reference = EmbeddedMongo.inMemory();
            return new AgainstMemory(onFile, reference, MongoClients.create(onFile.connectionString("t")),
                    MongoClients.create(reference.connectionString("t")));
        }

        /** The collection of that name on the file (first) and in the reference (second). */
        List<MongoCollection<Document>> collections(String name) {
            return List.of(a.getDatabase("t").getCollection(name), b.getDatabase("t").getCollection(name));
        }

        @Override
        public void close() {
            a.close();
            b.close();
            reference.close();
            onFile.close();
        }
    }

    /** A store on a file under {@code dir}, served by {@link OrderedIndexH2Backend}, and a client of it. */
    private record Served(MVStore store, OrderedIndexH2Backend backend, MongoServer server, MongoClient client)
            implements AutoCloseable {

        static Served on(Path dir) {
            MVStore store = EmbeddedMongo.open(dir);
            OrderedIndexH2Backend backend = new OrderedIndexH2Backend(store);
            MongoServer server = new MongoServer(backend);
            server.bind("127.0.0.1", 0);
            return new Served(store, backend, server,
                    MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort()));
        }

        MongoCollection<Document> collection(String name) {
            return client.getDatabase("trustledger").getCollection(name);
        }

        @Override
        public void close() {
            client.close();
            server.shutdownNow();
        }
    }
}
