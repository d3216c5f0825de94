package org.trustledger.issuance;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.bson.Document;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.status.CrlShards;
import org.trustledger.issuance.status.OcspResponseStore;
import org.trustledger.issuance.api.CertificateIssued;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.api.CertificateRequestRefused;
import org.trustledger.issuance.api.CertificateReserved;
import org.trustledger.issuance.api.CertificateRevoked;
import org.trustledger.issuance.api.IssuanceRefusalCode;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.ledger.arbitration.CertificateCheck;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * The register of certificates, projected from the issuance events: {@code certificates} (one document
 * per serial, found by serial or by member through the unique index {@code (memberId, _id)}),
 * {@code certificate_requests} (per request: outcome and the last event applied) and
 * {@code revocations_<ca>} (what each CA's CRL lists). Every read and write goes by key. Arbitration
 * asks it before deleting an account.
 *
 * <p>Until 2026-12-04 a member's serials were also kept as one list in a document of their own
 * ({@code member_certificates}), read and rewritten whole at every reservation: a member's thousandth
 * certificate rewrote a thousand serials, and the bench's issuance spent most of the store's commits
 * re-encoding those lists. That collection is dropped when the register starts: it held nothing the
 * events and {@code certificates} do not.
 */
@ProcessingGroup(CertificateRegister.PROCESSING_GROUP)
public class CertificateRegister implements CertificateCheck {

    public static final String PROCESSING_GROUP = "certificates";
    /** The index that finds a member's certificates: a query on {@code memberId} alone is a range of it. */
    static final String BY_MEMBER = "by_member";
    private final MongoCollection<Document> certificates;
    private final MongoCollection<Document> requests;
    /**
     * One document per certificate issued ({@code _id}: its serial), so that they are counted from the
     * collection's metadata ({@link #issuedCount}) instead of by reading every certificate.
     */
    static final String ISSUED = "certificates_issued";
    private final MongoCollection<Document> issued;
    private final MongoDatabase database;
    private final OcspResponseStore ocspResponses;

    public CertificateRegister(MongoDatabase database) {
        this.database = database;
        this.ocspResponses = new OcspResponseStore(database);
        boolean issuedCreated = MongoCollections.ensure(database, "certificates", "certificate_requests", ISSUED)
                .contains(ISSUED);
        MongoCollections.ensure(database, allRevocations().toArray(String[]::new));
        this.certificates = database.getCollection("certificates");
        this.requests = database.getCollection("certificate_requests");
        this.issued = database.getCollection(ISSUED);
        if (issuedCreated) {
            // A store whose register predates the list: listed once, from the certificates with a PEM.
            MongoCollections.fillList(issued, certificates, ne("pem", null), new Document("_id", 1),
                    c -> new Document("_id", c.get("_id")));
        }
        indexByMember();
        MongoCollections.drop(database, "member_certificates"); // the per-member lists of before (see above)
    }

    /** One collection per CRL shard: a shard's CRL is built from its own collection, never a scan of all. */
    static String revocations(CaId ca, int shard) {
        return "revocations_" + ca.slug() + "_" + shard;
    }

    /** The names of every shard's revocation collection, of every CA. */
    static List<String> allRevocations() {
        return ALL_REVOCATIONS;
    }

    private static final List<String> ALL_REVOCATIONS = java.util.stream.Stream.of(CaId.values())
            .flatMap(ca -> java.util.stream.IntStream.range(0, CrlShards.COUNT).mapToObj(shard -> revocations(ca, shard)))
            .toList();

    // ---- projection ---------------------------------------------------------------------------------

    @EventHandler
    void on(CertificateRequestRefused e, @SequenceNumber long seq) {
        requests.replaceOne(eq("_id", e.requestId()), new Document("_id", e.requestId())
                .append("memberId", e.memberId()).append("outcome", "REFUSED").append("code", e.code().name())
                .append("reason", e.reason()).append("lastSeq", seq), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(CertificateReserved e, @SequenceNumber long seq) {
        certificates.replaceOne(eq("_id", e.serial()), new Document("_id", e.serial()).append("requestId", e.requestId())
                .append("memberId", e.memberId()).append("kind", e.kind().name()).append("issuer", e.issuer().name())
                .append("subject", e.subject()).append("sans", e.subjectAltNames())
                .append("notBefore", Date.from(e.notBefore())).append("notAfter", Date.from(e.notAfter()))
                .append("requires", e.rights()).append("ledgerSeq", e.ledgerSequence())
                .append("organisationId", e.organisationId()), new ReplaceOptions().upsert(true));
        requests.replaceOne(eq("_id", e.requestId()), new Document("_id", e.requestId()).append("memberId", e.memberId())
                .append("outcome", "RESERVED").append("serial", e.serial()).append("lastSeq", seq),
                new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(CertificateIssued e, @SequenceNumber long seq) {
        certificates.updateOne(eq("_id", e.serial()), Updates.combine(Updates.set("pem", e.pem()),
                Updates.set("fingerprint", e.sha256Fingerprint()), Updates.set("issuedAt", Date.from(e.issuedAt()))));
        issued.replaceOne(eq("_id", e.serial()), new Document("_id", e.serial()), new ReplaceOptions().upsert(true));
        requests.updateOne(eq("_id", e.requestId()), Updates.combine(Updates.set("outcome", "ISSUED"),
                Updates.set("lastSeq", seq)));
    }

    @EventHandler
    void on(CertificateRevoked e, @SequenceNumber long seq) {
        certificates.updateOne(eq("_id", e.serial()), Updates.combine(Updates.set("revokedAt", Date.from(e.revokedAt())),
                Updates.set("revocationReason", e.reason().name())));
        database.getCollection(revocations(e.issuer(), CrlShards.of(e.serial()))).replaceOne(eq("_id", e.serial()), new Document("_id", e.serial())
                .append("revokedAt", Date.from(e.revokedAt())).append("reason", e.reason().name()),
                new ReplaceOptions().upsert(true));
        // After the revocation itself is recorded: no pre-signed "good" response may outlive it.
        ocspResponses.revoke(e.issuer(), new java.math.BigInteger(e.serial(), 16));
        requests.updateOne(eq("_id", e.requestId()), Updates.combine(Updates.set("outcome", "REVOKED"),
                Updates.set("lastSeq", seq)));
    }

    @ResetHandler
    void reset() {
        List<String> names = new java.util.ArrayList<>(List.of("certificates", "certificate_requests", ISSUED));
        names.addAll(allRevocations());
        MongoCollections.recreate(database, names.toArray(String[]::new));
        indexByMember();
        ocspResponses.clear();
    }

    /**
     * How many certificates were issued (revoked ones included), from the metadata of the collection
     * listing them: counting those with a PEM in {@code certificates} reads every certificate.
     */
    public long issuedCount() {
        return issued.estimatedDocumentCount();
    }

    /**
     * How many certificates were revoked, under both CAs: the sum of the CRL shards' collections, from
     * their metadata (for the dashboard; a CRL's staleness is decided by {@link #countRevokedExactly}).
     */
    public long revokedCount() {
        long revoked = 0;
        for (String name : allRevocations()) {
            revoked += database.getCollection(name).estimatedDocumentCount();
        }
        return revoked;
    }

    private void indexByMember() {
        certificates.createIndex(Indexes.ascending("memberId", "_id"), new IndexOptions().unique(true).name(BY_MEMBER));
    }

    // ---- reads --------------------------------------------------------------------------------------

    /** This node's pre-signed OCSP responses: the register voids them as it applies revocations; the responder serves them. */
    public OcspResponseStore ocspResponses() {
        return ocspResponses;
    }

    /** The outcome of a request: REFUSED (with code and reason), RESERVED, ISSUED or REVOKED. */
    public record RequestOutcome(String requestId, String memberId, String outcome, String serial,
                                 IssuanceRefusalCode code, String reason) {
    }

    public Optional<RequestOutcome> request(String requestId) {
        Document d = requests.find(eq("_id", requestId)).first();
        return d == null ? Optional.empty() : Optional.of(new RequestOutcome(requestId, d.getString("memberId"), d.getString("outcome"),
                d.getString("serial"), d.getString("code") == null ? null : IssuanceRefusalCode.valueOf(d.getString("code")),
                d.getString("reason")));
    }

    /** The last event of the request's stream the register has applied, -1 if none. */
    public long lastSequence(String requestId) {
        Document d = requests.find(eq("_id", requestId)).first();
        return d == null ? -1 : d.getLong("lastSeq");
    }

    public Optional<CertificateView> certificate(String serial) {
        return Optional.ofNullable(certificates.find(eq("_id", serial)).first()).map(CertificateRegister::view);
    }

    /** A member's certificates (reserved ones included), newest first. */
    public List<CertificateView> certificatesOfMember(String memberId) {
        List<CertificateView> result = new ArrayList<>();
        certificates.find(eq("memberId", memberId)).forEach(d -> result.add(view(d)));
        result.sort(java.util.Comparator.comparing(CertificateView::notBefore).reversed());
        return result;
    }

    /** Every issued, unrevoked certificate (the daily expiry check; a scan, run once a day). */
    public void forEachUnrevoked(Consumer<CertificateView> each) {
        certificates.find().forEach(d -> {
            if (d.getString("pem") != null && d.getDate("revokedAt") == null) {
                each.accept(view(d));
            }
        });
    }

    /** Revoked serials of one CA with when and why: what its CRL lists. */
    public void forEachRevoked(CaId ca, int shard, Consumer<Document> each) {
        database.getCollection(revocations(ca, shard)).find().forEach(each);
    }

    /**
     * How many serials one CRL shard of the CA lists, counted exactly: by reading the shard (on the
     * embedded store, every document of it). Its CRL is stale when this differs from the count the CRL
     * was built with. Not from the collection's metadata, as {@link #revokedCount()} is: on MongoDB that
     * count can drift after an unclean shutdown, and a wrong count could hold back a CRL that must follow
     * a revocation within 60 s.
     */
    public long countRevokedExactly(CaId ca, int shard) {
        return database.getCollection(revocations(ca, shard)).countDocuments();
    }

    /**
     * Serials of the member's unrevoked, unexpired, issued certificates that rely on any of the given
     * rights (names as in IssuanceRights): what would lose its backing if those go.
     */
    public List<String> certificatesRelyingOn(String memberId, Collection<String> rights, Instant now) {
        List<String> serials = new ArrayList<>();
        for (CertificateView c : certificatesOfMember(memberId)) {
            if (c.status(now) == CertificateView.Status.VALID && c.rights().stream().anyMatch(rights::contains)) {
                serials.add(c.serial());
            }
        }
        return serials;
    }

    /** Reserved certificates count too: one may have been signed just before a crash. */
    @Override
    public List<CertificateStatus> certificatesOf(String memberId) {
        List<CertificateStatus> result = new ArrayList<>();
        for (CertificateView c : certificatesOfMember(memberId)) {
            result.add(new CertificateStatus(c.serial(), c.notAfter(), c.revokedAt()));
        }
        return result;
    }

    private static CertificateView view(Document d) {
        Date revoked = d.getDate("revokedAt");
        Date issued = d.getDate("issuedAt");
        String reason = d.getString("revocationReason");
        return new CertificateView(d.getString("_id"), d.getString("requestId"), d.getString("memberId"),
                CertificateKind.valueOf(d.getString("kind")), CaId.valueOf(d.getString("issuer")), d.getString("subject"),
                d.getList("sans", String.class), d.getDate("notBefore").toInstant(), d.getDate("notAfter").toInstant(),
                d.getString("pem"), d.getString("fingerprint"), issued == null ? null : issued.toInstant(),
                revoked == null ? null : revoked.toInstant(), reason == null ? null : RevocationReason.valueOf(reason),
                d.getList("requires", String.class, List.of()), d.getLong("ledgerSeq"),
                d.getString("organisationId"));
    }
}
