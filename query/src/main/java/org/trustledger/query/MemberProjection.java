package org.trustledger.query;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;
import org.trustledger.ledger.api.AccountDeleted;
import org.trustledger.ledger.api.AccountLocked;
import org.trustledger.ledger.api.AssuranceGiven;
import org.trustledger.ledger.api.AssuranceVoided;
import org.trustledger.ledger.api.AssurerBlockChanged;
import org.trustledger.ledger.api.CodeSigningPermissionChanged;
import org.trustledger.ledger.api.DateOfBirthChanged;
import org.trustledger.ledger.api.DomainVerified;
import org.trustledger.ledger.api.NameChanged;
import org.trustledger.ledger.api.ParentalConsentRecorded;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.PointsAdjusted;
import org.trustledger.ledger.api.RoleAppointed;
import org.trustledger.ledger.api.RoleWithdrawn;
import org.trustledger.ledger.api.TtpAssuranceRecorded;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.api.AssuranceRecorded;
import org.trustledger.ledger.api.AssurerChallengeGraded;
import org.trustledger.ledger.api.AssurerChallengePassed;
import org.trustledger.ledger.api.AssurerChallengeStarted;
import org.trustledger.ledger.api.EmailVerificationExpired;
import org.trustledger.ledger.api.EmailVerificationRequested;
import org.trustledger.ledger.api.EmailVerified;
import org.trustledger.ledger.api.FoundingAssurerRecognised;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.rules.PointsRules;
import org.trustledger.ledger.rules.Standing;

/**
 * Projects members and assurances. Idempotent because Axon delivers at least once: a member document
 * remembers the sequence number of the last event of the member's stream it applied and ignores
 * anything not newer; assurance documents are upserted by id. Derived values are stored as of the
 * event's own date, so a rebuild by replay gives the very same documents as incremental projection.
 */
@ProcessingGroup(MemberProjection.PROCESSING_GROUP)
public class MemberProjection {

    public static final String PROCESSING_GROUP = "members";

    private final MongoCollection<Document> members;
    private final MongoCollection<Document> assurances;
    private final MongoCollection<Document> emails;
    private final MongoCollection<Document> status;
    private final MongoCollection<Document> pending;
    private final MongoCollection<Document> given;
    private final MongoCollection<Document> voided;
    private final MongoDatabase database;

    public MemberProjection(MongoDatabase database) {
        this.database = database;
        Set<String> created = MongoCollections.ensure(database, ReadModelCollections.MEMBERS,
                ReadModelCollections.ASSURANCES, ReadModelCollections.MEMBER_EMAILS,
                ReadModelCollections.PROJECTION_STATUS, ReadModelCollections.PENDING_VERIFICATIONS,
                ReadModelCollections.MEMBER_GIVEN, ReadModelCollections.VOIDED_ASSURANCES);
        this.voided = database.getCollection(ReadModelCollections.VOIDED_ASSURANCES);
        if (created.contains(ReadModelCollections.VOIDED_ASSURANCES)) {
            // A store whose read model predates the list: listed once, from what its assurances say.
            MongoCollections.fillList(voided, database.getCollection(ReadModelCollections.ASSURANCES),
                    eq("voided", true), new Document("voidedBy", 1),
                    a -> voidedEntry(a.getString("_id"), a.getString("voidedBy")));
        }
        this.status = database.getCollection(ReadModelCollections.PROJECTION_STATUS);
        this.pending = database.getCollection(ReadModelCollections.PENDING_VERIFICATIONS);
        this.given = database.getCollection(ReadModelCollections.MEMBER_GIVEN);
        this.members = database.getCollection(ReadModelCollections.MEMBERS);
        this.assurances = database.getCollection(ReadModelCollections.ASSURANCES);
        this.emails = database.getCollection(ReadModelCollections.MEMBER_EMAILS);
    }

    @EventHandler
    void on(MemberRegistered e, @SequenceNumber long seq, @Timestamp Instant at) {
        Document doc = new Document("_id", e.memberId()).append("lastSeq", seq).append("name", name(e.name()))
                .append("dateOfBirth", e.dateOfBirth().toString()).append("primaryEmail", e.primaryEmail())
                .append("verifiedEmails", new ArrayList<String>()).append("accountExpired", false)
                .append("registeredAt", Date.from(e.registeredAt())).append("founding", false)
                .append("grantedAp", 0).append("grantedEp", 0).append("challengePassed", false)
                .append("blockedAsAssurer", false).append("parentalConsent", false).append("codeSigning", false)
                .append("received", new ArrayList<Document>()).append("givenCount", 0)
                .append("givenFaceToFace", 0).append("roles", new ArrayList<String>()).append("locked", false)
                .append("deleted", false);
        derive(doc, at);
        Batch batch = batch();
        if (batch != null) {
            if (batch.member(e.memberId()) != null) {
                return; // delivered again: already applied
            }
            batch.inserted(doc, at);
        } else {
            try {
                members.insertOne(doc);
            } catch (MongoWriteException ex) {
                if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw ex;
                }
                return; // delivered again: already applied
            }
            countApplied();
        }
        write(emails, MongoCollections.replacement(new Document("_id", e.primaryEmail()).append("memberId", e.memberId())
                .append("verified", false)));
    }

    @EventHandler
    void on(EmailVerificationRequested e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            write(emails, MongoCollections.replacement(new Document("_id", e.email()).append("memberId", e.memberId())
                    .append("verified", false)));
            write(pending, MongoCollections.replacement(new Document("_id", pendingId(e.memberId(), e.email()))
                    .append("memberId", e.memberId()).append("email", e.email())
                    .append("expiresAt", Date.from(e.expiresAt()))));
        });
    }

    static String givenKey(String memberId, int position) {
        return memberId + "/" + position;
    }

    static String pendingId(String memberId, String email) {
        return memberId + "/" + email;
    }

    @EventHandler
    void on(EmailVerified e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            List<String> verified = new ArrayList<>(doc.getList("verifiedEmails", String.class));
            if (!verified.contains(e.email())) {
                verified.add(e.email());
            }
            doc.put("verifiedEmails", verified);
            write(emails, MongoCollections.replacement(new Document("_id", e.email()).append("memberId", e.memberId())
                    .append("verified", true)));
            write(pending, new DeleteOneModel<>(eq("_id", pendingId(e.memberId(), e.email()))));
        });
    }

    @EventHandler
    void on(EmailVerificationExpired e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            if (e.accountExpired()) {
                doc.put("accountExpired", true);
            }
            write(emails, new DeleteOneModel<>(and(eq("_id", e.email()), eq("memberId", e.memberId()))));
            write(pending, new DeleteOneModel<>(eq("_id", pendingId(e.memberId(), e.email()))));
        });
    }

    @EventHandler
    void on(FoundingAssurerRecognised e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.append("founding", true).append("grantedAp", e.assurancePoints())
                .append("grantedEp", e.experiencePoints()).append("challengePassed", e.challengePassed()));
    }

    @EventHandler
    void on(AssurerChallengePassed e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.put("challengePassed", true));
    }

    @EventHandler
    void on(AssuranceRecorded e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.assureeId(), seq, at, doc -> receive(doc, e.assuranceId(), e.assurerId(), e.kind(), e.points(),
                e.counted(), e.date(), e.location(), e.recordedAt()));
    }

    /**
     * An assurance received, of any kind: its own document and the assuree's list. Called only when the
     * event is new, so a redelivery cannot undo a later voiding.
     */
    private void receive(Document assuree, String assuranceId, String assurerId, AssuranceKind kind, int points,
                         int counted, java.time.LocalDate date, String location, Instant recordedAt) {
        write(assurances, BulkWrites.store(new Document("_id", assuranceId)
                .append("assureeId", assuree.getString("_id")).append("assurerId", assurerId).append("kind", kind.name())
                .append("points", points).append("counted", counted).append("date", date.toString())
                .append("location", location).append("recordedAt", Date.from(recordedAt)).append("voided", false), true));
        List<Document> received = new ArrayList<>(assuree.getList("received", Document.class));
        received.add(new Document("id", assuranceId).append("points", points).append("voided", false));
        assuree.put("received", received);
    }

    @EventHandler
    void on(AssurerChallengeStarted e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            List<Document> attempts = new ArrayList<>(doc.getList("challengeAttempts", Document.class, List.of()));
            attempts.add(new Document("attemptId", e.attemptId()).append("startedAt", Date.from(e.startedAt()))
                    .append("total", e.questionIds().size()));
            doc.put("challengeAttempts", attempts);
        });
    }

    @EventHandler
    void on(AssurerChallengeGraded e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            List<Document> attempts = new ArrayList<>();
            for (Document a : doc.getList("challengeAttempts", Document.class, List.of())) {
                attempts.add(a.getString("attemptId").equals(e.attemptId()) ? new Document(a)
                        .append("gradedAt", Date.from(e.gradedAt())).append("correct", e.correct())
                        .append("total", e.total()).append("scorePercent", e.scorePercent()).append("passed", e.passed()) : a);
            }
            doc.put("challengeAttempts", attempts);
        });
    }

    @EventHandler
    void on(TtpAssuranceRecorded e, @SequenceNumber long seq, @Timestamp Instant at) {
        String where = e.ttp() == null ? "top-up" : e.ttp().name() + " (" + e.ttp().kind() + ", " + e.ttp().country() + ")";
        update(e.assureeId(), seq, at, doc -> receive(doc, e.assuranceId(), e.recordedBy(), e.kind(), e.points(),
                e.counted(), e.date(), where, e.recordedAt()));
    }

    @EventHandler
    void on(AssuranceGiven e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.assurerId(), seq, at, doc -> {
            // An assurer may give thousands: kept one document per position, not in the member's document.
            int position = doc.getInteger("givenCount");
            String key = givenKey(e.assurerId(), position);
            write(given, BulkWrites.store(new Document("_id", key).append("assuranceId", e.assuranceId()), true));
            doc.put("givenCount", position + 1);
            if (e.kind() == AssuranceKind.FACE_TO_FACE) {
                doc.put("givenFaceToFace", doc.getInteger("givenFaceToFace") + 1);
            }
        });
    }

    @EventHandler
    void on(RoleAppointed e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            List<String> roles = new ArrayList<>(doc.getList("roles", String.class, List.of()));
            if (!roles.contains(e.role().name())) {
                roles.add(e.role().name());
            }
            doc.put("roles", roles);
        });
    }

    @EventHandler
    void on(RoleWithdrawn e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            List<String> roles = new ArrayList<>(doc.getList("roles", String.class, List.of()));
            roles.remove(e.role().name());
            doc.put("roles", roles);
        });
    }

    @EventHandler
    void on(CodeSigningPermissionChanged e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.put("codeSigning", e.enabled()));
    }

    @EventHandler
    void on(ParentalConsentRecorded e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.put("parentalConsent", true));
    }

    /** Delivered once per stream it stands in: the assuree's and the assurer's. */
    @EventHandler
    void on(AssuranceVoided e, DomainEventMessage<?> message, @Timestamp Instant at) {
        String member = message.getAggregateIdentifier();
        update(member, message.getSequenceNumber(), at, doc -> {
            if (member.equals(e.assureeId())) {
                List<Document> received = new ArrayList<>();
                for (Document r : doc.getList("received", Document.class)) {
                    received.add(r.getString("id").equals(e.assuranceId()) ? new Document(r).append("voided", true) : r);
                }
                doc.put("received", received);
                write(assurances, new UpdateOneModel<>(eq("_id", e.assuranceId()), Updates.combine(
                        Updates.set("voided", true), Updates.set("voidedBy", e.caseId()),
                        Updates.set("voidedAt", Date.from(e.voidedAt())))));
                write(voided, MongoCollections.replacement(voidedEntry(e.assuranceId(), e.caseId())));
            }
            if (member.equals(e.assurerId()) && e.kind() == AssuranceKind.FACE_TO_FACE) {
                doc.put("givenFaceToFace", Math.max(0, doc.getInteger("givenFaceToFace") - 1));
            }
        });
    }

    @EventHandler
    void on(PointsAdjusted e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.append("grantedAp", doc.getInteger("grantedAp") + e.assurancePointsDelta())
                .append("grantedEp", doc.getInteger("grantedEp") + e.experiencePointsDelta()));
    }

    @EventHandler
    void on(AssurerBlockChanged e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.put("blockedAsAssurer", e.blocked()));
    }

    @EventHandler
    void on(AccountLocked e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.put("locked", true));
    }

    @EventHandler
    void on(NameChanged e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.put("name", name(e.name())));
    }

    @EventHandler
    void on(DomainVerified e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            List<String> domains = new ArrayList<>(doc.getList("verifiedDomains", String.class, List.of()));
            if (!domains.contains(e.domain())) {
                domains.add(e.domain());
            }
            doc.put("verifiedDomains", domains);
        });
    }

    @EventHandler
    void on(DateOfBirthChanged e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> doc.put("dateOfBirth", e.dateOfBirth().toString()));
    }

    @EventHandler
    void on(AccountDeleted e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.memberId(), seq, at, doc -> {
            doc.append("deleted", true).append("locked", true).append("dateOfBirth", null)
                    .append("name", name(new PersonName(e.caseId(), null, e.caseId(), null)))
                    .append("primaryEmail", e.caseId()).append("verifiedEmails", new ArrayList<String>())
                    .append("verifiedDomains", new ArrayList<String>());
            for (String email : e.releasedEmails()) {
                // Only if the address is still this member's: the condition is part of the delete.
                write(emails, new DeleteOneModel<>(and(eq("_id", email), eq("memberId", e.memberId()))));
                write(pending, new DeleteOneModel<>(eq("_id", pendingId(e.memberId(), email))));
            }
        });
    }

    private static Document name(PersonName n) {
        return new Document("givenNames", n.givenNames()).append("middleName", n.middleName())
                .append("familyName", n.familyName()).append("suffix", n.suffix());
    }

    /**
     * Any other event of a member's stream (a refused assurance attempt, an ordered revocation...):
     * nothing to project, but the document must remember it saw it, or read-your-writes would wait
     * for an event this projection never acknowledges.
     */
    @EventHandler
    void on(Object other, DomainEventMessage<?> message, @Timestamp Instant at) {
        if ("Member".equals(message.getType())) {
            update(message.getAggregateIdentifier(), message.getSequenceNumber(), at, doc -> { });
        }
    }

    @ResetHandler
    void reset() {
        MongoCollections.recreate(database, ReadModelCollections.MEMBERS, ReadModelCollections.ASSURANCES,
                ReadModelCollections.MEMBER_EMAILS, ReadModelCollections.PENDING_VERIFICATIONS,
                ReadModelCollections.MEMBER_GIVEN, ReadModelCollections.VOIDED_ASSURANCES);
        status.deleteOne(eq("_id", PROCESSING_GROUP));
    }

    private static Document voidedEntry(String assuranceId, String caseId) {
        return new Document("_id", assuranceId).append("voidedBy", caseId);
    }

    /** Applies an event of the member's stream once: skipped when the document has seen it already. */
    private void update(String memberId, long seq, Instant at, Consumer<Document> change) {
        Batch batch = batch();
        Document doc = batch == null ? members.find(eq("_id", memberId)).first() : batch.member(memberId);
        if (doc == null) {
            throw new IllegalStateException("Member " + memberId + " not projected yet at sequence " + seq);
        }
        long last = doc.getLong("lastSeq");
        if (seq <= last) {
            return;
        }
        change.accept(doc);
        doc.put("lastSeq", seq);
        if (batch == null) {
            derive(doc, at);
            // By _id alone (a second field would make it a full scan on the embedded server); one thread
            // per segment writes a member's document, so no compare-and-set is needed.
            members.replaceOne(eq("_id", memberId), doc);
            countApplied();
        } else {
            batch.changed(doc, at);
        }
    }

    /**
     * A write to one of the projection's other collections: part of the batch's bulk write of that
     * collection (in the order given), or done at once outside a batch.
     */
    private void write(MongoCollection<Document> collection, WriteModel<Document> write) {
        Batch batch = batch();
        if (batch == null) {
            BulkWrites.inOrder(collection, List.of(write));
        } else {
            batch.writes.computeIfAbsent(collection, c -> new ArrayList<>()).add(write);
        }
    }

    /** How many member events this projection has applied (redeliveries it skipped are not counted). */
    private void countApplied() {
        Batch batch = batch();
        if (batch != null) {
            batch.applied++;
        } else {
            status.updateOne(eq("_id", PROCESSING_GROUP), Updates.inc("appliedEvents", 1L), new UpdateOptions().upsert(true));
        }
    }

    /**
     * The member documents of the processor's current batch of events: each read once, changed in
     * memory by every event of the batch, its standing derived once (as of its last event), and all
     * written back in one bulk write before the batch commits ({@link PerBatch}; the documents'
     * {@code lastSeq} make a batch processed again idempotent). Outside a unit of work (tests calling a
     * handler directly) every change is written at once.
     */
    private Batch batch() {
        return PerBatch.resource(BATCH_RESOURCE, Batch::new, Batch::flush);
    }

    private static final String BATCH_RESOURCE = MemberProjection.class.getName() + ".batch";

    private final class Batch {

        private final BatchDocuments documents = new BatchDocuments(members);
        private final Map<String, Instant> dirty = new LinkedHashMap<>();
        private final Map<MongoCollection<Document>, List<WriteModel<Document>>> writes = new LinkedHashMap<>();
        private long applied;

        Document member(String memberId) {
            return documents.get(memberId);
        }

        void inserted(Document doc, Instant at) {
            documents.put(doc.getString("_id"), doc);
            changed(doc, at);
        }

        void changed(Document doc, Instant at) {
            dirty.put(doc.getString("_id"), at);
            applied++;
        }

        void flush() {
            // The other collections first: a member document's lastSeq says its events were applied,
            // so a batch processed again after a failure must find their other writes already done.
            writes.forEach(BulkWrites::inOrder);
            writes.clear();
            if (!dirty.isEmpty()) {
                dirty.forEach((id, at) -> derive(documents.get(id), at));
                documents.write(dirty.keySet());
                dirty.clear();
            }
            if (applied > 0) {
                status.updateOne(eq("_id", PROCESSING_GROUP), Updates.inc("appliedEvents", applied),
                        new UpdateOptions().upsert(true));
                applied = 0;
            }
        }
    }

    /** Stores the standing as of the event's day (for dashboards); reads recompute it for today. */
    private static void derive(Document doc, Instant at) {
        Standing s = PointsRules.standing(ReadModelCollections.facts(doc), LocalDate.ofInstant(at, ZoneOffset.UTC));
        doc.put("standing", new Document("assurancePoints", s.assurancePoints())
                .append("experiencePoints", s.experiencePoints()).append("total", s.total())
                .append("status", s.status().name()).append("maxAssurancePoints", s.maxAssurancePoints()));
    }
}
