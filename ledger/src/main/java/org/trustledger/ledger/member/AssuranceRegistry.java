package org.trustledger.ledger.member;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import java.util.Optional;
import org.bson.Document;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * Which members an assurance joins, by its id: the command side's own lookup (an arbitrator names an
 * assurance, and the ruling must load both parties). Written before the assurance's events; an entry
 * whose events never made it is harmless, since the members' own histories are checked.
 */
public class AssuranceRegistry {

    private final MongoCollection<Document> parties;

    public AssuranceRegistry(MongoDatabase database) {
        MongoCollections.ensure(database, "assurance_parties");
        this.parties = database.getCollection("assurance_parties");
    }

    /** The two members of an assurance and its kind. */
    public record Parties(String assuranceId, String assureeId, String assurerId, AssuranceKind kind) {
    }

    public void record(Parties p) {
        parties.replaceOne(eq("_id", p.assuranceId()), document(p), new ReplaceOptions().upsert(true));
    }

    /** Records new assurances in one write, for a generated ledger (the demo and benchmark data). */
    public void recordAll(java.util.List<Parties> fresh) {
        if (!fresh.isEmpty()) {
            parties.insertMany(fresh.stream().map(AssuranceRegistry::document).toList());
        }
    }

    private static Document document(Parties p) {
        return new Document("_id", p.assuranceId()).append("assureeId", p.assureeId()).append("assurerId", p.assurerId())
                .append("kind", p.kind().name());
    }

    public Optional<Parties> find(String assuranceId) {
        Document d = parties.find(eq("_id", assuranceId)).first();
        return d == null ? Optional.empty() : Optional.of(new Parties(assuranceId, d.getString("assureeId"),
                d.getString("assurerId"), AssuranceKind.valueOf(d.getString("kind"))));
    }
}
