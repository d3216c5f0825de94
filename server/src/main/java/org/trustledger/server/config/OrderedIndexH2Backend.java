package org.trustledger.server.config;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.Assert;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend with index keys ordered by their values instead of by their Java
 * serialization, and documents stored as BSON instead of Java serialization ({@link BsonDocuments}),
 * kept with their bytes so that a page is not decoded and encoded whole for one document ({@link Stored}).
 *
 * <p>The H2 backend keeps every unique index (every lookup of the event store, the registries and the
 * read models goes through one: {@code _id}, {@code aggSeq}, ...) in an MVStore map keyed by
 * {@link KeyValue}. KeyValue is not {@link Comparable}, so H2's default {@link ObjectDataType} compares
 * two keys by serializing both with {@code ObjectOutputStream} and comparing the bytes: about twenty
 * serializations per lookup or insert. Profiles of the bench (bench/README.md) put about half of the
 * server's CPU there. {@link KeyOrder} compares the values themselves with mongo-java-server's own
 * {@link ValueComparator}; what is written to the file stays exactly as before (the same
 * ObjectDataType serialization).
 *
 * <p>A B-tree must be searched in the order it was built in, so a store written before this order
 * existed has its index maps rebuilt once, in one commit, when it is opened ({@link #upgrade}).
 */
class OrderedIndexH2Backend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(OrderedIndexH2Backend.class);

    /** The map recording this store's formats; its key for the order of index keys. */
    static final String FORMAT_MAP = "trustledger.format";
    static final String INDEX_KEY_ORDER = "indexKeyOrder";
    private static final String VALUE_ORDER = "value-comparator-1";
    /** The format key for how documents are stored, and its value for BSON. */
    static final String DOCUMENT_VALUES = "documentValues";
    private static final String BSON_VALUES = "bson-1";
    /** H2Database's map name prefixes: a collection's documents, and its metadata. */
    static final String DATA_PREFIX = "databases.";
    static final String META_PREFIX = "meta.";

    private final MVStore mvStore;
    /**
     * Commands hold it shared, commits exclusively until H2 has taken their snapshot ({@link #commit}), so that a
     * commit never persists half of a command.
     * mongo-java-server writes a document and then its index entries, and H2's background writer used to
     * commit whenever its second came, as did a commit after another thread's durable write: a kill right
     * after such a commit left a read-model document without its {@code _id} entry, and the projection's
     * next upsert of it failed for good ("already existed"; found by ReliabilityIT's crash test).
     */
    private final java.util.concurrent.locks.ReentrantReadWriteLock commitLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    private final ClientWatch clients;

    OrderedIndexH2Backend(MVStore store) {
        this(store, new ClientWatch());
    }

    OrderedIndexH2Backend(MVStore store, ClientWatch clients) {
        super(upgrade(store));
        this.mvStore = store;
        this.clients = clients;
        if (store.getFileStore() instanceof SparseChunkFileStore files) {
            files.onSnapshotTaken(this::releaseCommandsEarly);
        }
    }

    @Override
    public Document handleCommand(io.netty.channel.Channel channel, String database, String command, Document query) {
        clients.command(channel, command, query);
        EmbeddedMongo.capBatch(command, query);
        commitLock.readLock().lock();
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            commitLock.readLock().unlock();
        }
    }

    /** One commit at a time: a commit waits until the one before has written everything before it holds the commands up. */
    private final Object committing = new Object();
    /**
     * The collections' document maps: their changed pages are encoded before a commit ({@link #encodeChanged}).
     * Made at the first map opened, which H2Backend's constructor opens before this class's fields are set
     * (a field initializer would run after it, and drop those maps).
     */
    private volatile Set<MVMap<?, ?>> encodedMaps;

    private synchronized void encodeBeforeCommits(MVMap<?, ?> map) {
        if (encodedMaps == null) {
            encodedMaps = java.util.concurrent.ConcurrentHashMap.newKeySet();
        }
        encodedMaps.add(map);
    }

    /**
     * Commits the store between commands, never inside one: commands are held up until the commit has taken
     * its snapshot of the maps, not until it has written them. H2 writes a commit from the roots of the
     * maps as they were when it began; a command that changes a map meanwhile makes copies of the pages it
     * changes, as under H2's own background writer. The commit lock used to be held until the commit had
     * been written, which held every command up for 22 to 32 % of a rebuild's time (bench/README.md).
     *
     * <p>What a commit writes must not change under it, and mongo-java-server changes a document in place
     * before it puts the new value ({@link Stored}). So every document of the changed pages is encoded
     * first, while the commands are held up ({@link #encodeChanged}); the commit then copies bytes. Index
     * keys hold values that never change, or are encoded when they are put ({@link OrderedIndex#putKeyPosition}).
     * H2 calls the file store when the snapshot is taken ({@link SparseChunkFileStore#onSnapshotTaken}); with
     * another file store the commands wait for the whole commit, as before.
     */
    @Override
    public void commit() {
        synchronized (committing) {
            commitLock.writeLock().lock();
            try {
                encodeChanged();
                mvStore.commit();
            } finally {
                if (commitLock.isWriteLockedByCurrentThread()) {
                    commitLock.writeLock().unlock();
                }
            }
        }
    }

    /** Lets the commands go on once the commit running on this thread has taken its snapshot. */
    void releaseCommandsEarly() {
        if (commitLock.getWriteHoldCount() == 1 && commitLock.isWriteLockedByCurrentThread()) {
            commitLock.writeLock().unlock();
        }
    }

    /** Encodes the documents of every page the next commit writes (pages changed since the last one). */
    private void encodeChanged() {
        Set<MVMap<?, ?>> encoded = encodedMaps;
        if (encoded == null) {
            return;
        }
        for (java.util.Iterator<MVMap<?, ?>> maps = encoded.iterator(); maps.hasNext(); ) {
            MVMap<?, ?> map = maps.next();
            if (map.isClosed()) {
                maps.remove();
            } else {
                encodeUnsaved(map.getRootPage());
            }
        }
    }

    /** Encodes the documents of a page not written yet, and of its children not written yet. */
    static void encodeUnsaved(org.h2.mvstore.Page<?, ?> page) {
        if (page.isSaved()) {
            return; // and so is every page under it
        }
        if (page.isLeaf()) {
            for (int i = 0, keys = page.getKeyCount(); i < keys; i++) {
                if (page.getValue(i) instanceof Stored stored) {
                    stored.bson();
                }
            }
            return;
        }
        for (int i = 0; i < page.getRawChildPageCount(); i++) {
            if (!org.h2.mvstore.DataUtils.isPageSaved(page.getChildPagePos(i))) { // not written yet, so in memory
                encodeUnsaved(page.getChildPage(i));
            }
        }
    }

    /** Durable writes completed so far, each numbered as it asks to be made durable ({@link #commitDurably}). */
    private final java.util.concurrent.atomic.AtomicLong durableWrites = new java.util.concurrent.atomic.AtomicLong();
    /** Guards {@link #committedThrough} and {@link #groupCommitting}. */
    private final Object group = new Object();
    private long committedThrough;
    private boolean groupCommitting;

    /**
     * Makes every write completed before this call durable (group commit): commits, or waits for a commit
     * that began after this call and so includes the caller's write. Concurrent durable writes (an
     * assurance's event append and its four brute-force counters, from sixteen clients at once) share
     * commits instead of queueing for one each: every commit drains the commands under way and writes
     * every page changed since the one before.
     */
    public void commitDurably() {
        long ticket = durableWrites.incrementAndGet(); // taken once the caller's write has completed
        long covers;
        boolean interrupted = false;
        synchronized (group) {
            while (groupCommitting && committedThrough < ticket) {
                try {
                    group.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the write must still be made durable before the caller goes on
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (committedThrough >= ticket) {
                return;
            }
            groupCommitting = true;
            covers = durableWrites.get(); // every write numbered so far completed before this commit starts
        }
        boolean done = false;
        try {
            commit();
            done = true;
        } finally {
            synchronized (group) {
                groupCommitting = false;
                if (done) {
                    committedThrough = Math.max(committedThrough, covers);
                }
                group.notifyAll(); // after a failure, the next waiter commits (and may fail) itself
            }
        }
    }

    /** How many commits the store has made: its version. */
    long commits() {
        return mvStore.getCurrentVersion();
    }

    /**
     * The periodic commit of the store's own thread (every {@link EmbeddedMongo#PERIODIC_COMMIT_MS} ms):
     * commits what changed since the last commit (what is not durable at once). Compaction has its own
     * schedule ({@link #compactionStep}).
     */
    void commitIfChanged() {
        if (mvStore.hasUnsavedChanges()) {
            commit();
        }
    }

    /** Below this share of live data in the file's chunks, live pages are moved out of the sparsest ones. */
    static final int COMPACT_BELOW_FILL_RATE = 50;
    /**
     * How much live data one compaction step moves at most. The commit after the step writes it while
     * every command waits; one step of 16 MB a second held them up to 316 ms (bench/README.md).
     */
    static final int COMPACT_BYTES = 2 << 20;

    /**
     * H2 writes every commit to new chunks and reuses a chunk's space only once none of its pages is live
     * any more. Its own background thread also moves the live pages out of sparse chunks; that thread is
     * off here (it commits when it likes, in the middle of a command), so this does its part, a small
     * step at a time ({@link #compactionStep}): when the chunks hold less than
     * {@value #COMPACT_BELOW_FILL_RATE} % live data, the live pages of chunks no fuller than average (up
     * to {@value #COMPACT_BYTES} bytes; {@link SparseChunkFileStore}) are rewritten and committed, and
     * those chunks become free. Without it a store of a million events grew to 25 GB. Rewriting a page
     * does not change what it holds, so it may happen while commands run; only the commit waits for them.
     *
     * <p>Returns how long to wait before the next step, in ms: 200, or 50 while the chunks hold less than
     * {@value #COMPACT_BEHIND_FILL_RATE} % live data (a rebuild writes faster than a step every 200 ms frees).
     */
    long compactionStep() {
        FileStore<?> files = mvStore.getFileStore();
        int fillRate = files == null ? 100 : files.getChunksFillRate();
        if (fillRate >= COMPACT_BELOW_FILL_RATE) {
            return 200;
        }
        boolean moved = files instanceof SparseChunkFileStore sparse ? sparse.rewriteSparseChunks(COMPACT_BYTES)
                : mvStore.compact(COMPACT_BELOW_FILL_RATE, COMPACT_BYTES);
        if (moved) {
            commit();
        }
        return moved && fillRate < COMPACT_BEHIND_FILL_RATE ? 50 : 200;
    }

    /** Below this share of live data, compaction has fallen behind the writes: its steps come back to back. */
    static final int COMPACT_BEHIND_FILL_RATE = 40;

    /** The share of live data in the store's chunks, in percent (what {@link #compactionStep} keeps up). */
    int chunksFillRate() {
        FileStore<?> files = mvStore.getFileStore();
        return files == null ? 100 : files.getChunksFillRate();
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new OrderedIndexDatabase(databaseName);
    }

    /**
     * An inner class, so that its index maps can reach the store while {@link H2Database}'s constructor
     * is still opening them (the outer instance is set before a superclass constructor runs).
     */
    private final class OrderedIndexDatabase extends H2Database {

        OrderedIndexDatabase(String databaseName) {
            super(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                boolean sparse) {
            // The same map name as H2Database's, so that dropping the index removes this map.
            String name = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
            MVMap<StoredKey, Object> map = getMvStore().openMap(name, keyOrdered());
            return new OrderedIndex(map, indexName, keys, sparse);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // The same map names as H2Database's; documents stored as BSON (BsonDocuments).
            String namespace = getFullCollectionNamespace(collectionName);
            MVMap<Object, Stored> data = getMvStore().openMap(DATA_PREFIX + namespace, bsonValued());
            encodeBeforeCommits(data);
            MVMap<String, Object> meta = getMvStore().openMap(META_PREFIX + namespace);
            return new InMatchingCollection(this, collectionName, options, data, meta, getCursorRegistry());
        }
    }

    /**
     * H2's collection, matching {@code {field: {$in: [...]}}} with a hash set instead of comparing each
     * document with every listed value. mongo-java-server finds the documents of an {@code _id $in}
     * query through the index, then checks each against the query again, value by value: a query for n
     * ids cost n²/2 comparisons, and one for the 20,000 members of a generated web of trust held a store
     * worker (and every connection it serves) for seconds. Only plain string or 64-bit integer values
     * take this path, where equality is the values' own; anything else is matched as before.
     */
    static final class InMatchingCollection extends H2Collection {

        /** Lists shorter than this are compared one by one, as before. */
        static final int MIN_SET_SIZE = 16;
        /** The set built for the last {@code $in} query, by the query's identity. */
        private volatile InSet last = new InSet(null, null, null);

        private record InSet(Document query, String field, Set<Object> values) {
        }

        /**
         * The collection's documents, each as {@link Stored}. H2Collection holds the same map as documents
         * (it must be given one); every method of it that reads or writes values is overridden here.
         */
        private final MVMap<Object, Stored> data;

        @SuppressWarnings({"unchecked", "rawtypes"})
        InMatchingCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Stored> data,
                             MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, (MVMap) data, meta, cursors);
            this.data = data;
        }

        @Override
        protected Object addDocumentInternal(Document document) {
            Object key = getIdField() != null ? Utils.getSubdocumentValue(document, getIdField()) : UUID.randomUUID();
            Stored previous = data.put(Missing.ofNullable(key), new Stored(document));
            Assert.isNull(previous, () -> "Document with key '" + key + "' already existed in " + this + ": "
                    + previous.document());
            return key;
        }

        @Override
        protected Document getDocument(Object position) {
            Stored stored = data.get(position);
            return stored == null ? null : stored.document();
        }

        @Override
        protected void removeDocument(Object position) {
            if (data.remove(position) == null) {
                throw new NoSuchElementException("No document with key " + position);
            }
        }

        @Override
        protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
            return data.entrySet().stream()
                    .map(entry -> new DocumentWithPosition<>(entry.getValue().document(), entry.getKey()));
        }

        @Override
        protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                             int batchSize, Document fieldSelector) {
            Stream<Document> documents;
            if (isNaturalDescending(orderBy)) {
                documents = streamAllDocumentsWithPosition()
                        .sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
                        .map(DocumentWithPosition::getDocument);
            } else {
                documents = data.values().stream().map(Stored::document);
            }
            return matchDocumentsFromStream(documents, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }

        /** mongo-java-server has changed the stored document in place; a new value holds it, to be encoded anew. */
        @Override
        protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
            data.put(Missing.ofNullable(position), new Stored(newDocument));
        }

        /**
         * No running total of the documents' BSON size (collStats' {@code size}, which nothing here asks
         * for): mongo-java-server keeps it by encoding every document it adds or removes, and an updated
         * one twice (before and after), and by rewriting the collection's metadata map each time. That
         * was about an eighth of the store workers' CPU samples in a projection rebuild.
         */
        @Override
        protected boolean tracksDataSize() {
            return false;
        }

        @Override
        protected boolean documentMatchesQuery(Document document, Document query) {
            InSet in = last;
            if (in.query() != query) {
                in = inSet(query);
                last = in;
            }
            if (in.values() != null) {
                Object value = document.get(in.field());
                if (value instanceof String || value instanceof Long) {
                    return in.values().contains(value);
                }
            }
            return super.documentMatchesQuery(document, query);
        }

        private static InSet inSet(Document query) {
            if (query.size() == 1) {
                Map.Entry<String, Object> only = query.entrySet().iterator().next();
                if (!only.getKey().contains(".") && !only.getKey().startsWith("$")
                        && only.getValue() instanceof Document condition && condition.size() == 1
                        && condition.get("$in") instanceof java.util.Collection<?> values
                        && values.size() >= MIN_SET_SIZE && plain(values)) {
                    return new InSet(query, only.getKey(), new HashSet<>(values));
                }
            }
            return new InSet(query, null, null);
        }

        /** All strings, or all 64-bit integers: types whose equals is the query's equality. */
        private static boolean plain(java.util.Collection<?> values) {
            Class<?> type = null;
            for (Object v : values) {
                if (!(v instanceof String || v instanceof Long) || type != null && v.getClass() != type) {
                    return false;
                }
                type = v.getClass();
            }
            return true;
        }
    }

    /** H2's unique index on a map opened by us (its constructor is package-private). */
    static final class OrderedIndex extends AbstractUniqueIndex<Object> {

        private final MVMap<StoredKey, Object> map;
        /** The indexed fields, in order: mongo-java-server builds this list with a stream at every call. */
        private final List<String> fields;
        private final Set<String> fieldSet;
        /** Whether every indexed field is a top-level one (no path), and the index not sparse. */
        private final boolean plain;

        OrderedIndex(MVMap<StoredKey, Object> map, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.map = map;
            this.fields = List.copyOf(super.keys());
            this.fieldSet = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(fields));
            this.plain = !sparse && fields.stream().noneMatch(f -> f.contains(".") || f.startsWith("$"));
        }

        @Override
        protected List<String> keys() {
            return fields;
        }

        @Override
        protected Set<String> keySet() {
            return fieldSet;
        }

        /**
         * The key of a document whose indexed fields all hold strings, or null. mongo-java-server finds
         * each field's value by splitting its name with a regular expression, checks every value for an
         * array, and normalizes each through a stream, several times per document and index: an eighth of
         * the server's CPU samples in a projection rebuild. For top-level strings, which most of this
         * application's keys are, its result is exactly this one key (a string normalizes to itself);
         * anything else (numbers, arrays, nulls, missing fields, paths, sparse indexes) goes its way.
         */
        KeyValue plainKey(Document document) {
            if (!plain) {
                return null;
            }
            Object[] values = new Object[fields.size()];
            for (int i = 0; i < values.length; i++) {
                Object value = document.get(fields.get(i));
                if (!(value instanceof String)) {
                    return null;
                }
                values[i] = value;
            }
            return new KeyValue(values);
        }

        @Override
        public Set<KeyValue> getKeyValues(Document document) {
            KeyValue key = plainKey(document);
            return key != null ? Set.of(key) : super.getKeyValues(document);
        }

        @Override
        public synchronized void checkAdd(Document document, MongoCollection<Object> collection) {
            KeyValue key = plainKey(document);
            if (key == null) {
                super.checkAdd(document, collection);
            } else {
                refuseDuplicate(key, collection);
            }
        }

        private void refuseDuplicate(KeyValue key, MongoCollection<Object> collection) {
            if (containsKey(key)) {
                throw new DuplicateKeyError(this, collection, getKeys(), key);
            }
        }

        @Override
        public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
            KeyValue key = plainKey(document);
            if (key == null) {
                super.add(document, position, collection);
                return;
            }
            // Every caller ran checkAdd first (mongo-java-server's), so the key is looked up once, not twice;
            // one found anyway is refused here, and putIfAbsent has then changed nothing.
            if (!putKeyPosition(key, position)) {
                throw new DuplicateKeyError(this, collection, getKeys(), key);
            }
        }

        @Override
        protected Object removeDocument(KeyValue keyValue) {
            return map.remove(new StoredKey(keyValue));
        }

        /**
         * A key holding a document or a list is encoded as it is put: mongo-java-server may share such a
         * value with a document it later changes in place, and a commit may be writing the key meanwhile
         * ({@link OrderedIndexH2Backend#commit}). Every other value never changes, and is encoded at the
         * key's first write.
         */
        @Override
        protected boolean putKeyPosition(KeyValue keyValue, Object position) {
            StoredKey key = new StoredKey(keyValue);
            for (Object value : keyValue) {
                if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
                    key.encode();
                    break;
                }
            }
            return map.putIfAbsent(key, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
            return () -> new java.util.Iterator<>() {
                private final java.util.Iterator<Map.Entry<StoredKey, Object>> entries = map.entrySet().iterator();

                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public Map.Entry<KeyValue, Object> next() {
                    Map.Entry<StoredKey, Object> entry = entries.next();
                    return new java.util.AbstractMap.SimpleImmutableEntry<>(entry.getKey().values(), entry.getValue());
                }
            };
        }

        @Override
        protected Object getPosition(KeyValue keyValue) {
            return map.get(new StoredKey(keyValue));
        }

        @Override
        public long getCount() {
            return map.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }

        /**
         * Also a query for plain values of this compound index's first fields (and nothing else), as
         * MongoDB answers one from the index: the keys that begin with those values are one range of the
         * ordered map. mongo-java-server takes an index only for a query on all its fields, and would
         * scan the whole collection.
         */
        @Override
        public synchronized boolean canHandle(Document query) {
            return super.canHandle(query) || prefixOf(query) != null;
        }

        @Override
        public synchronized Iterable<Object> getPositions(Document query) {
            KeyValue prefix = prefixOf(query);
            if (prefix == null) {
                return super.getPositions(query);
            }
            // A document may have several keys with the same prefix (a field holding an array).
            Set<Object> positions = new java.util.LinkedHashSet<>();
            Cursor<StoredKey, Object> cursor = map.cursor(new StoredKey(prefix));
            while (cursor.hasNext()) {
                KeyValue key = cursor.next().values();
                for (int i = 0; i < prefix.size(); i++) {
                    // Values the comparator holds equal (1 and 1.0) sort together; the collection matches
                    // each document against the query itself, so a wider range is only more to check.
                    if (KeyOrder.VALUES.compare(key.get(i), prefix.get(i)) != 0) {
                        return positions;
                    }
                }
                positions.add(cursor.getValue());
            }
            return positions;
        }

        /** The queried values in index order, when the query asks for plain values of a proper prefix of the keys. */
        KeyValue prefixOf(Document query) {
            List<String> keys = keys();
            if (keys.size() < 2 || query.isEmpty() || query.size() >= keys.size()) {
                return null;
            }
            List<Object> values = new java.util.ArrayList<>(query.size());
            for (String key : keys.subList(0, query.size())) {
                Object value = query.get(key);
                if (!(value instanceof String || value instanceof Long || value instanceof Integer
                        || value instanceof Double || value instanceof Boolean
                        || value instanceof de.bwaldvogel.mongo.bson.ObjectId)) {
                    return null; // a field not in the prefix, null, an operator, an array, a pattern...
                }
                values.add(value);
            }
            return new KeyValue(values).normalized(); // as the index's keys are
        }
    }

    /**
     * One buffer per thread that encodes documents and keys for a commit. A commit writes every changed
     * page whole, each value into a buffer of its own: allocating and growing a new buffer per value
     * (through Netty's allocator, which counts every allocation and release in shared counters) was
     * about 4 % of the server's CPU samples in an issuance profile. Values are encoded one at a time and
     * copied out before the next, so one buffer serves them all; a buffer grown past 256 KB by a large
     * document is let go after it.
     */
    static final class Scratch {

        private static final int KEEP_AT_MOST = 256 * 1024;
        private static final ThreadLocal<ByteBuf> BUFFER = new ThreadLocal<>();

        private Scratch() {
        }

        /** This thread's buffer, empty. */
        static ByteBuf take() {
            ByteBuf buffer = BUFFER.get();
            if (buffer == null) {
                buffer = Unpooled.buffer(4096);
                BUFFER.set(buffer);
            }
            return buffer.clear();
        }

        /** Lets a buffer outgrown by what was just encoded go, once its bytes have been copied out. */
        static void done(ByteBuf encoded) {
            if (encoded.capacity() > KEEP_AT_MOST) {
                BUFFER.remove();
                encoded.release();
            }
        }

        /** Copies what was encoded into H2's buffer, and lets an outgrown buffer go. */
        static void copyTo(WriteBuffer target, ByteBuf encoded) {
            target.put(encoded.nioBuffer());
            done(encoded);
        }
    }

    static MVMap.Builder<Object, Stored> bsonValued() {
        return new MVMap.Builder<Object, Stored>().valueType(new BsonDocuments());
    }

    /**
     * A collection's stored value: its document, the BSON it is stored as, or both, each made from the
     * other when first needed. H2 writes every changed page whole at each commit, and reads a page whole:
     * with documents alone, a commit encoded again every document of the page beside the one that changed
     * (up to 48), and a page read decoded all of them to find one. A value read from the file now keeps its
     * bytes and is decoded only when asked for; a value encoded once keeps its bytes, and a page rewrite
     * (a later commit, compaction) copies them.
     *
     * <p>The bytes stay right because mongo-java-server replaces a value whenever it changes a document:
     * an update changes the stored document in place and then puts it again ({@code handleUpdate}), which
     * makes a new value here, encoded afresh. A document changed in place and never put again would keep
     * its old bytes; in H2's own backend it would be lost as soon as its page left the cache anyway.
     */
    static final class Stored {

        private volatile Document document;
        private volatile byte[] bson;

        Stored(Document document) {
            this.document = Objects.requireNonNull(document);
        }

        private Stored(byte[] bson) {
            this.bson = bson;
        }

        /** The document, decoded from the stored bytes at the first call. */
        Document document() {
            Document decoded = document;
            if (decoded == null) {
                decoded = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
                document = decoded;
            }
            return decoded;
        }

        /** The BSON bytes, encoded at the first call unless the value was read from the file. */
        byte[] bson() {
            byte[] bytes = bson;
            if (bytes == null) {
                ByteBuf scratch = Scratch.take();
                BsonDocuments.encode(document, scratch);
                bytes = ByteBufUtil.getBytes(scratch);
                Scratch.done(scratch);
                bson = bytes;
            }
            return bytes;
        }

        /** Whether the bytes are at hand (for tests). */
        boolean encoded() {
            return bson != null;
        }

        /** Whether the document is at hand (for tests). */
        boolean decoded() {
            return document != null;
        }
    }

    /**
     * Documents stored as BSON, the format they arrive in, instead of H2's default Java serialization
     * ({@link ObjectDataType} writes every document through a new {@code ObjectOutputStream}): the
     * bench's rebuild profile spent 47 % of the server's CPU there. Read back with mongo-java-server's
     * own BSON decoder, so a document is what it was when written. Each value is a {@link Stored}, which
     * keeps the bytes it was read as or first written as, so that a page rewrite copies them.
     */
    static final class BsonDocuments extends BasicDataType<Stored> {

        /**
         * What a document occupies, estimated from its content. H2 splits a page once its entries' memory
         * passes 16 KB, and rewrites a changed page whole at the next commit. With one average size for
         * every document (it was so until 2026-12-03), a collection of large documents (a member's list of
         * certificate serials, events with their payloads) filled pages with up to 48 of them, and every
         * commit re-encoded hundreds of kilobytes: the store's serialization thread took more CPU than the
         * requests under sustained issuance. A value read from the file and not decoded yet weighs twice
         * its bytes, as its estimate would.
         */
        @Override
        public int getMemory(Stored value) {
            Document document = value.document;
            return document != null ? 2 * estimate(document, 0) : 2 * value.bson.length;
        }

        /** About the BSON size of a value (strings as one byte per char), without encoding it. */
        static int estimate(Object value, int depth) {
            if (value instanceof String text) {
                return 5 + text.length();
            }
            if (depth > 64) {
                return 16;
            }
            if (value instanceof Map<?, ?> map) {
                int size = 5;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    size += 2 + String.valueOf(e.getKey()).length() + estimate(e.getValue(), depth + 1);
                }
                return size;
            }
            if (value instanceof Collection<?> list) {
                int size = 5;
                for (Object element : list) {
                    size += 4 + estimate(element, depth + 1);
                }
                return size;
            }
            if (value instanceof byte[] bytes) {
                return 5 + bytes.length;
            }
            if (value instanceof de.bwaldvogel.mongo.bson.BinData bin) {
                return 5 + bin.getData().length;
            }
            return 12; // numbers, dates, booleans, null, object ids
        }

        @Override
        public void write(WriteBuffer buffer, Stored value) {
            buffer.put(value.bson());
        }

        /**
         * The same bytes as mongo-java-server's {@link BsonEncoder#encodeDocument}, which looks every field
         * up again by name (a hash of each decoded key) and copies every string into a new byte array:
         * a third of the commit thread's samples in a rebuild. Fields are taken in order from the entries,
         * strings written straight into the buffer; scalars are left to {@link BsonEncoder#encodeValue}.
         */
        static void encode(Map<String, ?> document, ByteBuf out) {
            int start = out.writerIndex();
            out.writeIntLE(0); // the length, set at the end
            for (Map.Entry<String, ?> field : document.entrySet()) {
                element(field.getKey(), field.getValue(), out);
            }
            out.writeByte(0);
            out.setIntLE(start, out.writerIndex() - start);
        }

        private static void element(String name, Object value, ByteBuf out) {
            byte type = BsonEncoder.determineType(value);
            out.writeByte(type);
            ByteBufUtil.writeUtf8(out, name);
            out.writeByte(0);
            value(type, value, out);
        }

        /** A value of the given BSON type, without type or name (as {@link BsonEncoder#encodeValue} writes it). */
        static void value(byte type, Object value, ByteBuf out) {
            switch (type) {
                case BsonConstants.TYPE_UTF8_STRING -> {
                    int at = out.writerIndex();
                    out.writeIntLE(0);
                    ByteBufUtil.writeUtf8(out, value.toString());
                    out.writeByte(0);
                    out.setIntLE(at, out.writerIndex() - at - 4);
                }
                case BsonConstants.TYPE_EMBEDDED_DOCUMENT -> {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> embedded = (Map<String, ?>) value;
                    encode(embedded, out);
                }
                case BsonConstants.TYPE_ARRAY -> {
                    int at = out.writerIndex();
                    out.writeIntLE(0);
                    int i = 0;
                    for (Object item : (Collection<?>) value) {
                        element(Integer.toString(i++), item, out);
                    }
                    out.writeByte(0);
                    out.setIntLE(at, out.writerIndex() - at);
                }
                default -> BsonEncoder.encodeValue(type, value, out);
            }
        }

        /** The stored bytes, copied out of the page's buffer; decoded only when the document is asked for. */
        @Override
        public Stored read(ByteBuffer buffer) {
            int size = buffer.order() == ByteOrder.LITTLE_ENDIAN ? buffer.getInt(buffer.position())
                    : Integer.reverseBytes(buffer.getInt(buffer.position())); // BSON starts with its length, little-endian
            byte[] bson = new byte[size];
            buffer.get(bson);
            return new Stored(bson);
        }

        @Override
        public Stored[] createStorage(int size) {
            return new Stored[size];
        }

        /** Values are only ever compared for equality (a conditional replace); any consistent order will do. */
        @Override
        public int compare(Stored a, Stored b) {
            if (a == b) {
                return 0;
            }
            return Arrays.compare(a.bson(), b.bson());
        }
    }

    static MVMap.Builder<StoredKey, Object> keyOrdered() {
        return new MVMap.Builder<StoredKey, Object>().keyType(new KeyOrder());
    }

    /**
     * An index key as its map holds it: mongo-java-server's {@link KeyValue} (a final class), with the bytes
     * it is written as once they exist. H2 writes every changed page whole at each commit, so a key was
     * encoded again at every rewrite of its page (a commit that changed any key beside it, compaction):
     * 9.5 % of the server's CPU samples in an issuance profile with exact attribution (bench/README.md). A
     * key read from the file keeps the bytes it was read from; a key encoded once keeps its encoding; a page
     * rewrite copies them, as it copies a document's ({@link Stored}). Keys never change: mongo-java-server
     * makes a new KeyValue for every lookup and insert.
     */
    static final class StoredKey {

        /** Marks a key written H2's way (a value BSON would not bring back as it was): encoded at every write. */
        private static final byte[] NOT_BSON = new byte[0];

        private final KeyValue values;
        private volatile byte[] written;

        StoredKey(KeyValue values) {
            this.values = Objects.requireNonNull(values);
        }

        private StoredKey(KeyValue values, byte[] written) {
            this.values = values;
            this.written = written;
        }

        KeyValue values() {
            return values;
        }

        /** Encodes the key unless it has its bytes. */
        void encode() {
            if (written == null) {
                written = KeyOrder.encode(values);
            }
        }

        /** Whether the key's bytes are at hand (for tests). */
        boolean encoded() {
            byte[] bytes = written;
            return bytes != null && bytes != NOT_BSON;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StoredKey other && values.equals(other.values);
        }

        @Override
        public int hashCode() {
            return values.hashCode();
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }

    /**
     * Index keys compared by value: element by element with {@link ValueComparator} (MongoDB's order of
     * types and values), then by length. Keys that order as equal but are not {@link KeyValue#equals
     * equal} (as the serialized comparison told them apart) are ordered by the elements' classes and text,
     * so that the order stays consistent with equality. Anything that is not a key is compared as H2
     * always did.
     *
     * <p>Written to the file as BSON values behind a tag of their own ({@link #BSON_KEY}) instead of H2's
     * Java serialization (a new {@code ObjectOutputStream} per key): the store's commit thread spent 45 %
     * of its CPU samples there during a rebuild, and its compaction read keys back through an
     * {@code ObjectInputStream}. Keys written before (H2's own tags) are still read as they are, and a
     * key holding a kind of value the ledger's keys do not hold is still written H2's way ({@link #bsonExact}).
     * A key keeps the bytes it was read from or first written as ({@link StoredKey}).
     */
    static final class KeyOrder extends ObjectDataType {

        private static final ValueComparator VALUES = ValueComparator.ascWithoutListHandling();
        /** The tag of a key written as BSON values; H2's own tags end at 119. */
        static final byte BSON_KEY = 120;

        @Override
        public void write(WriteBuffer buffer, Object key) {
            if (!(key instanceof StoredKey stored)) {
                super.write(buffer, key);
                return;
            }
            stored.encode();
            byte[] bytes = stored.written;
            if (bytes == StoredKey.NOT_BSON) {
                super.write(buffer, stored.values);
            } else {
                buffer.put(bytes);
            }
        }

        /** The bytes a key is written as, or {@link StoredKey#NOT_BSON} for a key written H2's way. */
        static byte[] encode(KeyValue values) {
            if (!bsonExact(values)) {
                return StoredKey.NOT_BSON;
            }
            ByteBuf bson = Scratch.take();
            bson.writeByte(BSON_KEY);
            bson.writeByte(values.size());
            for (Object value : values) {
                byte type = BsonEncoder.determineType(value);
                bson.writeByte(type);
                BsonDocuments.value(type, value, bson);
            }
            byte[] bytes = ByteBufUtil.getBytes(bson);
            Scratch.done(bson);
            return bytes;
        }

        @Override
        public Object read(ByteBuffer buffer) {
            int start = buffer.position();
            if (buffer.get(start) != BSON_KEY) {
                Object key = super.read(buffer);
                return key instanceof KeyValue values ? new StoredKey(values) : key; // as BSON at its next write
            }
            ByteBuf bson = Unpooled.wrappedBuffer(buffer.slice());
            bson.skipBytes(1);
            int size = bson.readUnsignedByte();
            List<Object> values = new java.util.ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(BsonDecoder.decodeValue(bson.readByte(), bson));
            }
            byte[] bytes = new byte[bson.readerIndex()];
            buffer.get(bytes);
            return new StoredKey(new KeyValue(values), bytes);
        }

        /** Depends on the values alone, so that a key weighs the same when it enters a page and when it leaves. */
        @Override
        public int getMemory(Object key) {
            return key instanceof StoredKey stored
                    ? 40 + 2 * BsonDocuments.estimate(stored.values.stream().toList(), 0)
                    : super.getMemory(key);
        }

        /**
         * Whether every value of the key is of a kind that comes back from BSON as an equal object of the
         * same class and that the index keys of the ledger's collections hold (normalized by
         * mongo-java-server: numbers as doubles or longs, missing values as null). Anything else keeps
         * H2's serialization.
         */
        static boolean bsonExact(KeyValue key) {
            if (key.size() > 255) {
                return false;
            }
            for (Object value : key) {
                if (!bsonExact(value, 0)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean bsonExact(Object value, int depth) {
            if (value == null || value instanceof String || value instanceof Double || value instanceof Long
                    || value instanceof Integer || value instanceof Boolean || value instanceof java.time.Instant
                    || value instanceof de.bwaldvogel.mongo.bson.ObjectId) {
                return true;
            }
            if (depth > 16) {
                return false;
            }
            if (value instanceof Document document) {
                for (Map.Entry<String, Object> e : document.entrySet()) {
                    if (e.getKey().indexOf('\0') >= 0 || !bsonExact(e.getValue(), depth + 1)) {
                        return false;
                    }
                }
                return true;
            }
            if (value instanceof java.util.ArrayList<?> list) {
                for (Object element : list) {
                    if (!bsonExact(element, depth + 1)) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        }

        @Override
        public int compare(Object a, Object b) {
            if (a == b) {
                return 0;
            }
            if (!(a instanceof StoredKey p) || !(b instanceof StoredKey q)) {
                return super.compare(a, b);
            }
            return compareValues(p.values, q.values);
        }

        static int compareValues(KeyValue x, KeyValue y) {
            int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++) {
                int c = compareValue(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            if (x.size() != y.size()) {
                return Integer.compare(x.size(), y.size());
            }
            if (x.equals(y)) {
                return 0;
            }
            for (int i = 0; i < n; i++) {
                Object p = x.get(i);
                Object q = y.get(i);
                if (!Objects.equals(p, q)) {
                    int c = className(p).compareTo(className(q));
                    return c != 0 ? c : String.valueOf(p).compareTo(String.valueOf(q));
                }
            }
            return 0;
        }

        /**
         * Two values of a key in mongo-java-server's order ({@link ValueComparator}), by sign. Strings and
         * 64- or 32-bit integers, which most of the ledger's keys hold, are compared directly: the general
         * comparator finds each value's type in a list, and normalizes every number into a new boxed one,
         * at each of the twenty-odd comparisons a lookup makes (8 % of the server's CPU in a rebuild). Its
         * order for those pairs is exactly theirs; every other pair goes to it.
         */
        static int compareValue(Object a, Object b) {
            if (a instanceof String s && b instanceof String t) {
                return s.compareTo(t);
            }
            if (a instanceof Long p && b instanceof Long q) {
                return Long.compare(p, q);
            }
            if (a instanceof Integer p && b instanceof Integer q) {
                return Integer.compare(p, q);
            }
            return VALUES.compare(a, b);
        }

        private static String className(Object o) {
            return o == null ? "" : o.getClass().getName();
        }
    }

    /**
     * Brings a store written before to today's formats, once each: its index maps rebuilt in value order
     * ({@link KeyOrder}), its documents rewritten as BSON ({@link BsonDocuments}). Each map is copied into
     * a map of the new format, which then takes its name. Everything happens in one MVStore commit with
     * the background commits paused, so a crash during the rebuild leaves the store as it was, and the
     * next start rebuilds again.
     */
    static MVStore upgrade(MVStore store) {
        MVMap<String, Object> format = store.openMap(FORMAT_MAP);
        boolean indexesDone = VALUE_ORDER.equals(format.get(INDEX_KEY_ORDER));
        boolean documentsDone = BSON_VALUES.equals(format.get(DOCUMENT_VALUES));
        if (indexesDone && documentsDone) {
            return store;
        }
        List<String> indexMaps = indexesDone ? List.of() : store.getMapNames().stream()
                .filter(name -> name.contains("._index_") && !name.startsWith(DATA_PREFIX) && !name.startsWith(META_PREFIX))
                .toList();
        List<String> dataMaps = documentsDone ? List.of() : store.getMapNames().stream()
                .filter(name -> name.startsWith(DATA_PREFIX) && !name.endsWith(".reordering") && !name.endsWith(".bson"))
                .toList();
        int autoCommitDelay = store.getAutoCommitDelay();
        store.setAutoCommitDelay(0);
        try {
            long entries = 0;
            long started = System.nanoTime();
            for (String name : indexMaps) {
                MVMap<Object, Object> old = store.openMap(name);
                String temporary = name + ".reordering";
                if (store.hasMap(temporary)) {
                    store.removeMap(temporary);
                }
                MVMap<StoredKey, Object> reordered = store.openMap(temporary, keyOrdered());
                for (var entry : old.entrySet()) {
                    reordered.put(new StoredKey((KeyValue) entry.getKey()), entry.getValue());
                }
                entries += reordered.sizeAsLong();
                store.removeMap(old);
                store.renameMap(reordered, name);
            }
            long documents = 0;
            for (String name : dataMaps) {
                MVMap<Object, Object> old = store.openMap(name);
                String temporary = name + ".bson";
                if (store.hasMap(temporary)) {
                    store.removeMap(temporary);
                }
                MVMap<Object, Stored> rewritten = store.openMap(temporary, bsonValued());
                for (var entry : old.entrySet()) {
                    rewritten.put(entry.getKey(), new Stored((Document) entry.getValue()));
                }
                documents += rewritten.sizeAsLong();
                store.removeMap(old);
                store.renameMap(rewritten, name);
            }
            format.put(INDEX_KEY_ORDER, VALUE_ORDER);
            format.put(DOCUMENT_VALUES, BSON_VALUES);
            store.commit();
            if (!indexMaps.isEmpty() || !dataMaps.isEmpty()) {
                log.info("Upgraded the embedded store in {} ms: {} index maps ({} keys) rebuilt in value order, {}"
                                + " collections ({} documents) rewritten as BSON", (System.nanoTime() - started) / 1_000_000,
                        indexMaps.size(), entries, dataMaps.size(), documents);
            }
        } finally {
            store.setAutoCommitDelay(autoCommitDelay);
        }
        return store;
    }
}
