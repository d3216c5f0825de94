package org.trustledger.server.ops;

import com.mongodb.client.MongoDatabase;
import java.util.List;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.ledger.eventstore.MongoEventStorageEngine;
import org.trustledger.query.MemberReadModel;
import org.trustledger.server.rebuild.ProjectionRebuild;

/** {@code ledgerStats}: counts for dashboards (no personal data), and how far each processor lags. */
@Controller
public class LedgerStatsController {

    private final MongoDatabase db;
    private final MemberReadModel members;
    private final CertificateRegister certificates;
    private final MongoEventStorageEngine store;
    private final ProjectionRebuild processors;

    public LedgerStatsController(MongoDatabase db, MemberReadModel members, CertificateRegister certificates,
                                 MongoEventStorageEngine store, ProjectionRebuild processors) {
        this.db = db;
        this.members = members;
        this.certificates = certificates;
        this.store = store;
        this.processors = processors;
    }

    public record ProcessorLag(String name, boolean running, long lag) {
    }

    public record LedgerStats(long members, long assurances, long voidedAssurances, long certificates,
                              long revokedCertificates, long organisations, long events, List<ProcessorLag> processors) {
    }

    /**
     * Every count comes from a collection's metadata ({@code estimatedDocumentCount}: the {@code count}
     * command without a filter), never from reading documents: voided assurances and issued certificates
     * each have a collection listing them for this. Counting with a filter or {@code countDocuments} (an
     * aggregation) makes the embedded store decode every document of the collection while it holds it: on
     * a store of 150,000 members and 330,000 assurances a call took 0.5 to 1 s (11 s cold), held the
     * collection's queries up meanwhile, and filled the page cache with pages that the next garbage
     * collection then had to move (pauses of a quarter to half a second for every request). On the
     * embedded store the metadata count is exact; on MongoDB it can be off after an unclean shutdown until
     * the collection is validated, which a dashboard can live with.
     */
    @QueryMapping
    public LedgerStats ledgerStats() {
        return new LedgerStats(members.memberCount(), members.assuranceCount(), members.voidedAssuranceCount(),
                certificates.issuedCount(), certificates.revokedCount(),
                db.getCollection("organisations").estimatedDocumentCount(), store.headIndex(),
                processors.status().stream().map(s -> new ProcessorLag(s.name(), s.running(),
                        Math.max(0, s.head() - (s.position() == null ? 0 : s.position())))).toList());
    }
}
