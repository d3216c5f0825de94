package org.trustledger.query;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.bson.Document;
import org.trustledger.ledger.api.ArbitratorAssigned;
import org.trustledger.ledger.api.CaseClosed;
import org.trustledger.ledger.api.CaseFiled;
import org.trustledger.ledger.api.RulingMade;
import org.trustledger.ledger.eventstore.MongoCollections;

/** Arbitration cases for arbitrators and dashboards; idempotent like the member projection. */
@ProcessingGroup(MemberProjection.PROCESSING_GROUP)
public class CaseProjection {

    private final MongoCollection<Document> cases;
    private final MongoDatabase database;

    public CaseProjection(MongoDatabase database) {
        this.database = database;
        MongoCollections.ensure(database, ReadModelCollections.CASES, "case_access");
        this.cases = database.getCollection(ReadModelCollections.CASES);
        this.access = database.getCollection("case_access");
    }

    /** {@code case_access}: one document per (arbitrator, party) pair, {@code _id} "arbitrator|member". */
    private final MongoCollection<Document> access;

    @EventHandler
    void on(CaseFiled e, @SequenceNumber long seq) {
        try {
            cases.insertOne(new Document("_id", e.caseId()).append("lastSeq", seq).append("claimantId", e.claimantId())
                    .append("respondentId", e.respondentId()).append("relief", e.relief()).append("filedBy", e.filedBy())
                    .append("filedAt", Date.from(e.filedAt())).append("arbitratorId", null).append("closed", false)
                    .append("rulings", new ArrayList<Document>()));
        } catch (MongoWriteException ex) {
            if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw ex;
            }
        }
    }

    @EventHandler
    void on(ArbitratorAssigned e, @SequenceNumber long seq) {
        update(e.caseId(), seq, doc -> {
            doc.put("arbitratorId", e.arbitratorId());
            for (String party : new String[] {doc.getString("claimantId"), doc.getString("respondentId")}) {
                if (party != null) {
                    access.replaceOne(eq("_id", e.arbitratorId() + "|" + party), new Document("_id",
                            e.arbitratorId() + "|" + party), new com.mongodb.client.model.ReplaceOptions().upsert(true));
                }
            }
        });
    }

    @EventHandler
    void on(RulingMade e, @SequenceNumber long seq) {
        update(e.caseId(), seq, doc -> {
            List<Document> rulings = new ArrayList<>(doc.getList("rulings", Document.class));
            rulings.add(new Document("remedy", e.remedy()).append("subjectId", e.subjectId()).append("detail", e.detail())
                    .append("reason", e.reason()).append("arbitratorId", e.arbitratorId()).append("madeAt", Date.from(e.madeAt())));
            doc.put("rulings", rulings);
        });
    }

    @EventHandler
    void on(CaseClosed e, @SequenceNumber long seq) {
        update(e.caseId(), seq, doc -> doc.append("closed", true).append("resolution", e.resolution())
                .append("closedAt", Date.from(e.closedAt())));
    }

    /** Whether the arbitrator is (or was) assigned to a case where the member is a party. */
    public boolean arbitrates(String arbitratorId, String memberId) {
        return arbitratorId != null && access.find(eq("_id", arbitratorId + "|" + memberId)).first() != null;
    }

    @ResetHandler
    void reset() {
        MongoCollections.recreate(database, ReadModelCollections.CASES, "case_access");
    }

    private void update(String caseId, long seq, Consumer<Document> change) {
        Document doc = cases.find(eq("_id", caseId)).first();
        if (doc == null) {
            throw new IllegalStateException("Case " + caseId + " not projected yet at sequence " + seq);
        }
        if (seq <= doc.getLong("lastSeq")) {
            return;
        }
        change.accept(doc);
        doc.put("lastSeq", seq);
        cases.replaceOne(eq("_id", caseId), doc);
    }

    /** Reads of the case read model, by exact key. */
    public Optional<CaseView> find(String caseId) {
        Document d = cases.find(eq("_id", caseId)).first();
        if (d == null) {
            return Optional.empty();
        }
        List<CaseView.RulingView> rulings = new ArrayList<>();
        for (Document r : d.getList("rulings", Document.class)) {
            rulings.add(new CaseView.RulingView(r.getString("remedy"), r.getString("subjectId"), r.getString("detail"),
                    r.getString("reason"), r.getString("arbitratorId"), r.getDate("madeAt").toInstant()));
        }
        Date closedAt = d.getDate("closedAt");
        return Optional.of(new CaseView(d.getString("_id"), d.getString("claimantId"), d.getString("respondentId"),
                d.getString("relief"), d.getString("filedBy"), d.getDate("filedAt").toInstant(), d.getString("arbitratorId"),
                d.getBoolean("closed"), d.getString("resolution"), closedAt == null ? null : closedAt.toInstant(), rulings,
                d.getLong("lastSeq")));
    }
}
