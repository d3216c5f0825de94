package org.trustledger.server.config;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend with index keys ordered by their values instead of by their Java
 * serialization.
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

    OrderedIndexH2Backend(MVStore store) {
        super(upgrade(store));
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
            MVMap<KeyValue, Object> map = getMvStore().openMap(name, keyOrdered());
            return new OrderedIndex(map, indexName, keys, sparse);
        }
    }

    /** H2's unique index on a map opened by us (its constructor is package-private). */
    private static final class OrderedIndex extends AbstractUniqueIndex<Object> {

        private final MVMap<KeyValue, Object> map;

        OrderedIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.map = map;
        }

        @Override
        protected Object removeDocument(KeyValue keyValue) {
            return map.remove(keyValue);
        }

        @Override
        protected boolean putKeyPosition(KeyValue keyValue, Object position) {
            return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
            return map.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue keyValue) {
            return map.get(keyValue);
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
    }

    static MVMap.Builder<KeyValue, Object> keyOrdered() {
        return new MVMap.Builder<KeyValue, Object>().keyType(new KeyOrder());
    }

    /**
     * Index keys compared by value: element by element with {@link ValueComparator} (MongoDB's order of
     * types and values), then by length. Keys that order as equal but are not {@link KeyValue#equals
     * equal} (as the serialized comparison told them apart) are ordered by the elements' classes and text,
     * so that the order stays consistent with equality. Anything that is not a KeyValue is compared as
     * H2 always did.
     */
    static final class KeyOrder extends ObjectDataType {

        private static final ValueComparator VALUES = ValueComparator.ascWithoutListHandling();

        @Override
        public int compare(Object a, Object b) {
            if (a == b) {
                return 0;
            }
            if (!(a instanceof KeyValue x) || !(b instanceof KeyValue y)) {
                return super.compare(a, b);
            }
            int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++) {
                int c = VALUES.compare(x.get(i), y.get(i));
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

        private static String className(Object o) {
            return o == null ? "" : o.getClass().getName();
        }
    }

    /**
     * Rebuilds the index maps of a store written before index keys were ordered by value, once: each
     * index map is copied into a map built in the new order, which then takes its name. Everything happens
     * in one MVStore commit with the background commits paused, so a crash during the rebuild leaves the
     * store as it was, and the next start rebuilds again.
     */
    static MVStore upgrade(MVStore store) {
        MVMap<String, Object> format = store.openMap(FORMAT_MAP);
        if (VALUE_ORDER.equals(format.get(INDEX_KEY_ORDER))) {
            return store;
        }
        List<String> indexMaps = store.getMapNames().stream()
                .filter(name -> name.contains("._index_") && !name.startsWith("databases.") && !name.startsWith("meta."))
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
                MVMap<KeyValue, Object> reordered = store.openMap(temporary, keyOrdered());
                for (var entry : old.entrySet()) {
                    reordered.put((KeyValue) entry.getKey(), entry.getValue());
                }
                entries += reordered.sizeAsLong();
                store.removeMap(old);
                store.renameMap(reordered, name);
            }
            format.put(INDEX_KEY_ORDER, VALUE_ORDER);
            store.commit();
            if (!indexMaps.isEmpty()) {
                log.info("Rebuilt {} index maps ({} keys) of the embedded store in value order in {} ms",
                        indexMaps.size(), entries, (System.nanoTime() - started) / 1_000_000);
            }
        } finally {
            store.setAutoCommitDelay(autoCommitDelay);
        }
        return store;
    }
}
