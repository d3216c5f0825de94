package org.trustledger.query;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * The documents, keyed by member id, that a projection changes during one batch of events: those of
 * every member the batch's events belong to are read with one query when the batch starts
 * ({@link PerBatch#aggregates}), any other on first use. Only the processor's thread for a member's
 * segment writes that member's documents, so what was read stays current through the batch.
 */
final class BatchDocuments {

    private final MongoCollection<Document> collection;
    private final Map<String, Document> documents = new HashMap<>();
    /** Members read at the start of the batch that had no document then. */
    private final Set<String> absent = new HashSet<>();
    /** Members whose document was read from the store (the others are new in this batch). */
    private final Set<String> stored = new HashSet<>();

    BatchDocuments(MongoCollection<Document> collection) {
        this.collection = collection;
        Set<String> ids = PerBatch.aggregates("Member");
        if (ids.size() > 1) {
            collection.find(in("_id", ids)).forEach(d -> documents.put(d.getString("_id"), d));
            stored.addAll(documents.keySet());
            for (String id : ids) {
                if (!documents.containsKey(id)) {
                    absent.add(id);
                }
            }
        }
    }

    /** The member's document as this batch has it, or null when there is none. */
    Document get(String memberId) {
        Document doc = documents.get(memberId);
        if (doc != null || absent.contains(memberId)) {
            return doc;
        }
        doc = collection.find(eq("_id", memberId)).first();
        if (doc != null) {
            documents.put(memberId, doc);
            stored.add(memberId);
        }
        return doc;
    }

    /**
     * Whether the member's document was in the store when the batch read it; if not, the batch created it
     * and may insert it ({@link BulkWrites#store}).
     */
    boolean stored(String memberId) {
        return stored.contains(memberId);
    }

    void put(String memberId, Document doc) {
        documents.put(memberId, doc);
        absent.remove(memberId);
    }
}
