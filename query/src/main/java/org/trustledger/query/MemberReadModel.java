package org.trustledger.query;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.rules.Emails;
import org.trustledger.ledger.rules.PointsRules;

/**
 * Reads of the member read model, all by exact key ({@code _id} or {@code _id $in}), so they cost the
 * same at any size of the ledger. Standing is derived for today on every read: age and so status can
 * change with the calendar, not only with events.
 */
public class MemberReadModel {

    private final MongoCollection<Document> members;
    private final MongoCollection<Document> assurances;
    private final MongoCollection<Document> emails;
    private final MongoCollection<Document> voided;
    private final Clock clock;
    private final MongoDatabase database;

    public MemberReadModel(MongoDatabase database, Clock clock) {
        this.database = database;
        MongoCollections.ensure(database, ReadModelCollections.PENDING_VERIFICATIONS, ReadModelCollections.PROJECTION_STATUS);
        MongoCollections.ensure(database, ReadModelCollections.MEMBERS, ReadModelCollections.ASSURANCES, ReadModelCollections.MEMBER_EMAILS);
        this.members = database.getCollection(ReadModelCollections.MEMBERS);
        this.assurances = database.getCollection(ReadModelCollections.ASSURANCES);
        this.emails = database.getCollection(ReadModelCollections.MEMBER_EMAILS);
        this.voided = database.getCollection(ReadModelCollections.VOIDED_ASSURANCES); // created by MemberProjection
        this.clock = clock;
    }

    /** How many members the read model holds, from the collection's metadata. */
    public long memberCount() {
        return members.estimatedDocumentCount();
    }

    /** How many assurances the read model holds, voided ones included, from the collection's metadata. */
    public long assuranceCount() {
        return assurances.estimatedDocumentCount();
    }

    /**
     * How many assurances were voided, from the metadata of the collection that lists them: counting
     * {@code voided: true} in the assurances reads every one of them (no index can answer it on the
     * embedded store, whose aggregations and filtered counts decode whole collections), which on a store
     * of 330,000 assurances loaded some 300 MB of pages into the page cache at each call, and the next
     * garbage collection paused every request for a quarter to half a second to move them.
     */
    public long voidedAssuranceCount() {
        return voided.estimatedDocumentCount();
    }

    public Optional<MemberView> member(String id) {
        return Optional.ofNullable(members.find(eq("_id", id)).first()).map(this::view);
    }

    public Map<String, MemberView> members(Collection<String> ids) {
        Map<String, MemberView> result = new HashMap<>();
        members.find(in("_id", ids)).forEach(d -> result.put(d.getString("_id"), view(d)));
        return result;
    }

    /** The member holding this (verified or pending) address. */
    public Optional<MemberView> memberByEmail(String email) {
        Document owner = emails.find(eq("_id", Emails.normalise(email))).first();
        return owner == null ? Optional.empty() : member(owner.getString("memberId"));
    }

    public Optional<AssuranceView> assurance(String id) {
        return Optional.ofNullable(assurances.find(eq("_id", id)).first()).map(MemberReadModel::assuranceView);
    }

    public Map<String, AssuranceView> assurances(Collection<String> ids) {
        Map<String, AssuranceView> result = new HashMap<>();
        assurances.find(in("_id", ids)).forEach(d -> result.put(d.getString("_id"), assuranceView(d)));
        return result;
    }

    /** Ids of the assurances the member gave at positions {@code from} (inclusive) to {@code to}, in order. */
    public List<String> givenAssuranceIds(String memberId, int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < to; i++) {
            keys.add(MemberProjection.givenKey(memberId, i));
        }
        Map<String, String> byKey = new HashMap<>();
        database.getCollection(ReadModelCollections.MEMBER_GIVEN).find(in("_id", keys))
                .forEach(d -> byKey.put(d.getString("_id"), d.getString("assuranceId")));
        List<String> ids = new ArrayList<>();
        for (String key : keys) {
            if (byKey.containsKey(key)) {
                ids.add(byKey.get(key));
            }
        }
        return ids;
    }

    /** The sequence number of the member's last event that the read model has applied, -1 if none. */
    public long lastSequence(String memberId) {
        Document d = members.find(eq("_id", memberId)).projection(new Document("lastSeq", 1)).first();
        return d == null ? -1 : d.getLong("lastSeq");
    }

    /** An address whose verification window has passed: the expiry sweep's work list. */
    public record PendingVerification(String memberId, String email, Instant expiresAt) {
    }

    /** Addresses still unverified after their 48 hours, as of {@code now}. */
    public List<PendingVerification> overdueVerifications(Instant now) {
        List<PendingVerification> overdue = new ArrayList<>();
        database.getCollection(ReadModelCollections.PENDING_VERIFICATIONS).find().forEach(d -> {
            Instant expiresAt = d.getDate("expiresAt").toInstant();
            if (expiresAt.isBefore(now)) {
                overdue.add(new PendingVerification(d.getString("memberId"), d.getString("email"), expiresAt));
            }
        });
        return overdue;
    }

    /** One challenge attempt as recorded (grade fields null until answered). */
    public record ChallengeAttempt(String attemptId, Instant startedAt, Instant gradedAt, Integer correct, int total,
                                   Integer scorePercent, Boolean passed) {
    }

    public List<ChallengeAttempt> challengeAttempts(String memberId) {
        Document d = members.find(eq("_id", memberId)).projection(new Document("challengeAttempts", 1)).first();
        List<ChallengeAttempt> result = new ArrayList<>();
        if (d != null) {
            for (Document a : d.getList("challengeAttempts", Document.class, List.of())) {
                java.util.Date graded = a.getDate("gradedAt");
                result.add(new ChallengeAttempt(a.getString("attemptId"), a.getDate("startedAt").toInstant(),
                        graded == null ? null : graded.toInstant(), a.getInteger("correct"), a.getInteger("total"),
                        a.getInteger("scorePercent"), a.getBoolean("passed")));
            }
        }
        return result;
    }

    /** How many events the member projection has applied since it was last built from scratch. */
    public long appliedEvents() {
        Document d = database.getCollection(ReadModelCollections.PROJECTION_STATUS)
                .find(eq("_id", MemberProjection.PROCESSING_GROUP)).first();
        return d == null ? 0 : d.getLong("appliedEvents");
    }

    private MemberView view(Document d) {
        Document n = d.get("name", Document.class);
        PersonName name = new PersonName(n.getString("givenNames"), n.getString("middleName"),
                n.getString("familyName"), n.getString("suffix"));
        List<String> received = new ArrayList<>();
        d.getList("received", Document.class).forEach(r -> received.add(r.getString("id")));
        String dob = d.getString("dateOfBirth");
        return new MemberView(d.getString("_id"), name, dob == null ? null : LocalDate.parse(dob),
                d.getString("primaryEmail"), List.copyOf(d.getList("verifiedEmails", String.class)),
                d.getBoolean("accountExpired"), d.getDate("registeredAt").toInstant(), d.getBoolean("founding"),
                PointsRules.standing(ReadModelCollections.facts(d), LocalDate.now(clock)), received,
                d.getInteger("givenCount"), d.getLong("lastSeq"), List.copyOf(d.getList("roles", String.class, List.of())),
                d.getBoolean("locked", false), d.getBoolean("blockedAsAssurer", false),
                d.getBoolean("parentalConsent", false), d.getBoolean("deleted", false),
                List.copyOf(d.getList("verifiedDomains", String.class, List.of())));
    }

    private static AssuranceView assuranceView(Document d) {
        return new AssuranceView(d.getString("_id"), d.getString("assureeId"), d.getString("assurerId"),
                AssuranceKind.valueOf(d.getString("kind")), d.getInteger("points"), d.getInteger("counted"),
                LocalDate.parse(d.getString("date")), d.getString("location"), d.getDate("recordedAt").toInstant(),
                d.getBoolean("voided"), d.getString("voidedBy"));
    }
}
