package org.trustledger.ledger.eventstore;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;

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

    /** @return the names this call created (another process may have created one of the others meanwhile) */
    public static Set<String> ensure(MongoDatabase db, String... names) {
        Set<String> existing = db.listCollectionNames().into(new HashSet<>());
        Set<String> created = new HashSet<>();
        for (String name : names) {
            if (existing.contains(name)) {
                continue;
            }
            try {
                db.createCollection(name);
                created.add(name);
            } catch (MongoCommandException e) {
                if (e.getErrorCode() != NAMESPACE_EXISTS) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** The write that replaces what is stored under {@code doc}'s {@code _id}, or inserts it (upsert). */
    public static ReplaceOneModel<Document> replacement(Document doc) {
        return new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
    }

    /**
     * Fills a collection that lists documents of another, one entry per document matching the filter
     * (for a list that a store written before it existed lacks: call it when {@link #ensure} has just
     * created the list). Entries are replaced by their id, so another node doing the same, or the list's
     * own writer meanwhile, writes the same documents.
     */
    public static void fillList(MongoCollection<Document> list, MongoCollection<Document> source, Bson filter,
                                Bson projection, Function<Document, Document> entry) {
        List<WriteModel<Document>> entries = new ArrayList<>();
        for (Document d : source.find(filter).projection(projection)) {
            entries.add(replacement(entry.apply(d)));
            if (entries.size() == 1_000) {
                list.bulkWrite(entries);
                entries.clear();
            }
        }
        if (!entries.isEmpty()) {
            list.bulkWrite(entries);
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
