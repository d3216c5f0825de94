package org.trustledger.ledger.member;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.util.Optional;
import org.bson.Document;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * The set-based rule "a verified domain belongs to one account": collection {@code domain_claims},
 * {@code _id} the normalised domain, taken by unique insertion when a member verifies it.
 */
public class DomainRegistry {

    private final MongoCollection<Document> claims;

    public DomainRegistry(MongoDatabase database) {
        MongoCollections.ensure(database, "domain_claims");
        this.claims = database.getCollection("domain_claims");
    }

    /** The member holding the verified domain, if any. */
    public Optional<String> holder(String domain) {
        Document d = claims.find(eq("_id", domain)).first();
        return d == null ? Optional.empty() : Optional.of(d.getString("memberId"));
    }

    /** Claims the domain for the member; idempotent for the same member. */
    public void claim(String domain, String memberId) {
        try {
            claims.insertOne(new Document("_id", domain).append("memberId", memberId));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            if (!holder(domain).map(memberId::equals).orElse(false)) {
                throw new LedgerRefusal(RefusalCode.DOMAIN_TAKEN, "The domain " + domain
                        + " is already verified by another account.");
            }
        }
    }

    /** Gives the domain back (a unit of work that claimed it rolled back). */
    public void release(String domain, String memberId) {
        claims.deleteOne(new Document("_id", domain).append("memberId", memberId));
    }
}
