package org.trustledger.query;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.WriteModel;
import java.util.List;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * A batch's writes to one collection, where a document the projection creates is sent as an insert, not
 * as a replacement by {@code _id} with upsert. An insert is the cheaper write on both stores: the server
 * has no query to run first and no update to compute (on the embedded store, upserts creating documents
 * were the largest part of a rebuild's store work). Deliveries are at least once, though: a batch that
 * failed after some of its writes is processed again, and its inserts then find their documents stored.
 * Such an insert replaces the stored document instead, which is what the upsert it stands for did.
 */
final class BulkWrites {

    private BulkWrites() {
    }

    /** The write that stores {@code doc} under its {@code _id}: an insert when it is known to be new. */
    static WriteModel<Document> store(Document doc, boolean isNew) {
        return isNew ? new InsertOneModel<>(doc) : MongoCollections.replacement(doc);
    }

    /**
     * Writes the models in their order (the driver sends each run of one kind as one command), stopping at
     * the first failure, except an insert of a document already stored: that one is done as a replacement
     * and the writes after it go on.
     */
    static void inOrder(MongoCollection<Document> collection, List<? extends WriteModel<Document>> models) {
        int from = 0;
        while (from < models.size()) {
            try {
                collection.bulkWrite(models.subList(from, models.size()), new BulkWriteOptions().ordered(true));
                return;
            } catch (MongoBulkWriteException e) {
                if (e.getWriteErrors().size() != 1) {
                    throw e;
                }
                BulkWriteError error = e.getWriteErrors().get(0);
                int at = from + error.getIndex();
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY
                        || !(models.get(at) instanceof InsertOneModel<Document> insert)) {
                    throw e;
                }
                collection.bulkWrite(List.of(MongoCollections.replacement(insert.getDocument())));
                from = at + 1;
            }
        }
    }
}
