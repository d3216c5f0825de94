package org.trustledger.ledger.eventstore;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoDatabase;
import java.util.HashSet;
import java.util.Set;

/**
 * Creates collections up front. The embedded server (mongo-java-server 1.47) creates a collection on
 * first write without a lock: two connections writing a new collection at the same moment each
 * create one and the writes to the losing instance vanish (seen here as a lost event counter
 * update). Creating every collection once at start-up, before any concurrent use, avoids that race;
 * on a real MongoDB it is harmless.
 */
public final class MongoCollections {

    /** MongoDB's NamespaceExists error. */
    private static final int NAMESPACE_EXISTS = 48;

    private MongoCollections() {
    }

    public static void ensure(MongoDatabase db, String... names) {
        Set<String> existing = db.listCollectionNames().into(new HashSet<>());
        for (String name : names) {
            if (existing.contains(name)) {
                continue;
            }
            try {
                db.createCollection(name);
            } catch (MongoCommandException e) {
                if (e.getErrorCode() != NAMESPACE_EXISTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Empties derived collections for a replay: each is dropped and created again; indexes other than
     * {@code _id} are the caller's to create again. Deleting every document costs about what writing
     * them did, since each one's index entries go one by one (on a real MongoDB too); a drop is one
     * step whatever the size. In a rebuild of the bench's generated store, deleting the old read models
     * took a tenth of the server's CPU, and it grows with the store.
     */
    public static void recreate(MongoDatabase db, String... names) {
        drop(db, names);
        ensure(db, names);
    }

    /**
     * Drops those of the collections that exist. Only those: the embedded server logs an error for the
     * drop of a collection that does not exist (the driver ignores the reply).
     */
    public static void drop(MongoDatabase db, String... names) {
        Set<String> existing = db.listCollectionNames().into(new HashSet<>());
        for (String name : names) {
            if (existing.contains(name)) {
                db.getCollection(name).drop();
            }
        }
    }
}
