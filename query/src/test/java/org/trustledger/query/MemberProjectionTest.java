package org.trustledger.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.api.AssuranceGiven;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.api.AssuranceRecorded;
import org.trustledger.ledger.api.AssuranceVoided;
import org.trustledger.ledger.api.EmailVerificationRequested;
import org.trustledger.ledger.api.EmailVerified;
import org.trustledger.ledger.api.FoundingAssurerRecognised;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.MemberStatus;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.testing.TestMongo;

/** The member projection as a plain object: on(event) then read, redelivery, and rebuild. */
class MemberProjectionTest {

    static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
    TestMongo mongo;
    MongoDatabase db;
    MemberProjection projection;
    MemberReadModel readModel;

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        db = mongo.freshDatabase();
        projection = new MemberProjection(db);
        readModel = new MemberReadModel(db, Clock.fixed(T, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        mongo.close();
    }

    /** An event with the aggregate sequence number it has in its member's stream. */
    record Step(Object event, long seq) {
    }

    List<Step> history() {
        List<Step> steps = new ArrayList<>();
        PersonName founderName = new PersonName("Alice", null, "Founder", null);
        steps.add(new Step(new MemberRegistered("f", founderName, LocalDate.of(1970, 1, 1), "f@example.org", "h", List.of(), T), 0));
        steps.add(new Step(new EmailVerified("f", "f@example.org", T), 1));
        steps.add(new Step(new FoundingAssurerRecognised("f", 100, 50, true, "genesis", T), 2));
        steps.add(new Step(new MemberRegistered("m", new PersonName("Ada", null, "Lovelace", null), LocalDate.of(1990, 1, 1),
                "m@example.org", "h", List.of(), T), 0));
        steps.add(new Step(new EmailVerificationRequested("m", "m@example.org", "n", T, T.plusSeconds(3600)), 1));
        steps.add(new Step(new EmailVerified("m", "m@example.org", T), 2));
        steps.add(new Step(new AssuranceRecorded("a1", "m", "f", AssuranceKind.FACE_TO_FACE, 35, 35, LocalDate.of(2026, 11, 22),
                "Berlin", "Ada Lovelace", List.of("passport"), true, true, T), 3));
        steps.add(new Step(new AssuranceGiven("a1", "f", "m", AssuranceKind.FACE_TO_FACE, 35, LocalDate.of(2026, 11, 22), T), 3));
        steps.add(new Step(new AssuranceRecorded("a2", "m", "g", AssuranceKind.FACE_TO_FACE, 20, 20, LocalDate.of(2026, 11, 22),
                "Paris", "Ada Lovelace", List.of("id card"), true, true, T), 4));
        return steps;
    }

    void apply(Step s) {
        Object e = s.event();
        if (e instanceof MemberRegistered x) {
            projection.on(x, s.seq(), T);
        } else if (e instanceof EmailVerificationRequested x) {
            projection.on(x, s.seq(), T);
        } else if (e instanceof EmailVerified x) {
            projection.on(x, s.seq(), T);
        } else if (e instanceof FoundingAssurerRecognised x) {
            projection.on(x, s.seq(), T);
        } else if (e instanceof AssuranceRecorded x) {
            projection.on(x, s.seq(), T);
        } else if (e instanceof AssuranceGiven x) {
            projection.on(x, s.seq(), T);
        } else {
            throw new IllegalArgumentException(e.toString());
        }
    }

    List<Document> all(String collection) {
        return db.getCollection(collection).find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    @Test
    void projects_points_status_and_assurances() {
        history().forEach(this::apply);
        MemberView ada = readModel.memberByEmail("M@example.org").orElseThrow();
        assertThat(ada.standing().assurancePoints()).isEqualTo(55);
        assertThat(ada.standing().status()).isEqualTo(MemberStatus.ASSURED_MEMBER);
        assertThat(ada.receivedAssuranceIds()).containsExactly("a1", "a2");
        assertThat(readModel.assurance("a1")).get().extracting(AssuranceView::counted).isEqualTo(35);
        MemberView founder = readModel.member("f").orElseThrow();
        assertThat(founder.standing().status()).isEqualTo(MemberStatus.SENIOR_ASSURER);
        assertThat(founder.givenCount()).isEqualTo(1);
        assertThat(readModel.givenAssuranceIds("f", 0, 10)).containsExactly("a1");
        assertThat(founder.founding()).isTrue();
    }

    @Test
    void redelivered_events_change_nothing() {
        List<Step> steps = history();
        steps.forEach(this::apply);
        List<Document> once = all(ReadModelCollections.MEMBERS);
        steps.forEach(this::apply);
        apply(steps.get(6));
        assertThat(all(ReadModelCollections.MEMBERS)).isEqualTo(once);
        assertThat(readModel.member("m").orElseThrow().receivedAssuranceIds()).containsExactly("a1", "a2");
    }

    @Test
    void a_rebuild_by_replay_gives_the_same_documents_as_incremental_projection() {
        List<Step> steps = history();
        steps.forEach(this::apply);
        List<Document> members = all(ReadModelCollections.MEMBERS);
        List<Document> assurances = all(ReadModelCollections.ASSURANCES);
        List<Document> emails = all(ReadModelCollections.MEMBER_EMAILS);
        projection.reset();
        assertThat(all(ReadModelCollections.MEMBERS)).isEmpty();
        steps.forEach(this::apply);
        assertThat(all(ReadModelCollections.MEMBERS)).isEqualTo(members);
        assertThat(all(ReadModelCollections.ASSURANCES)).isEqualTo(assurances);
        assertThat(all(ReadModelCollections.MEMBER_EMAILS)).isEqualTo(emails);
        assertThat(all(ReadModelCollections.MEMBER_GIVEN)).hasSize(1);
    }

    void voidIn(String stream, long seq, AssuranceVoided voided) {
        projection.on(voided, new GenericDomainEventMessage<>("Member", stream, seq, voided), T);
    }

    @Test
    void voided_assurances_are_listed_once_each_counted_from_the_list_and_listed_for_a_store_that_predates_it() {
        history().forEach(this::apply);
        assertThat(readModel.voidedAssuranceCount()).isZero();
        AssuranceVoided voided = new AssuranceVoided("case-1", "a1", "m", "f", AssuranceKind.FACE_TO_FACE, "forged", T);
        voidIn("m", 5, voided);
        voidIn("f", 4, voided);
        voidIn("m", 5, voided); // delivered again
        assertThat(readModel.voidedAssuranceCount()).isEqualTo(1);
        assertThat(all(ReadModelCollections.VOIDED_ASSURANCES))
                .containsExactly(new Document("_id", "a1").append("voidedBy", "case-1"));
        assertThat(readModel.voidedAssuranceCount())
                .isEqualTo(db.getCollection(ReadModelCollections.ASSURANCES).countDocuments(new Document("voided", true)));
        List<Document> listed = all(ReadModelCollections.VOIDED_ASSURANCES);

        // A store written before the list existed: the first start lists what its assurances say.
        db.getCollection(ReadModelCollections.VOIDED_ASSURANCES).drop();
        projection = new MemberProjection(db);
        assertThat(all(ReadModelCollections.VOIDED_ASSURANCES)).isEqualTo(listed);
        assertThat(readModel.voidedAssuranceCount()).isEqualTo(1);
        // ...and only the first: a list emptied since is left as it is.
        db.getCollection(ReadModelCollections.VOIDED_ASSURANCES).deleteMany(new Document());
        new MemberProjection(db);
        assertThat(readModel.voidedAssuranceCount()).isZero();

        // A rebuild lists them again from the events.
        projection.reset();
        assertThat(readModel.voidedAssuranceCount()).isZero();
        history().forEach(this::apply);
        voidIn("m", 5, voided);
        voidIn("f", 4, voided);
        assertThat(all(ReadModelCollections.VOIDED_ASSURANCES)).isEqualTo(listed);
    }
}
