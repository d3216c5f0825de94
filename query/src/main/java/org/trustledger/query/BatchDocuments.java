package org.trustledger.query;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.WriteModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
     * Writes these members' documents as the batch has them: those the batch created first, as one insert
     * command, then the others, replaced ({@link BulkWrites}).
     */
    void write(Collection<String> memberIds) {
        List<WriteModel<Document>> writes = new ArrayList<>(memberIds.size());
        List<WriteModel<Document>> replaced = new ArrayList<>(memberIds.size());
        for (String id : memberIds) {
            boolean isNew = !stored.contains(id);
            (isNew ? writes : replaced).add(BulkWrites.store(documents.get(id), isNew));
        }
        writes.addAll(replaced);
        BulkWrites.inOrder(collection, writes);
    }

    void put(String memberId, Document doc) {
        documents.put(memberId, doc);
        absent.remove(memberId);
    }
}
