package org.trustledger.ledger.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.trustledger.ledger.api.AppointRoleCommand;
import org.trustledger.ledger.api.AssuranceGiven;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.EmailVerificationRequested;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecogniseFoundingAssurerCommand;
import org.trustledger.ledger.api.RecordAssuranceCommand;
import org.trustledger.ledger.api.RecordAssurerChallengeCommand;
import org.trustledger.ledger.api.RecordTopUpCommand;
import org.trustledger.ledger.api.RecordTtpAssuranceCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.RegisterMemberCommand;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.TrustedThirdParty;
import org.trustledger.ledger.api.TtpAssuranceRecorded;
import org.trustledger.ledger.api.VerifyEmailCommand;
import org.trustledger.ledger.testing.LedgerHarness;
import org.trustledger.ledger.testing.TestMongo;

/** TTP-assisted assurance and top-up (DOMAIN.md section 3): every limit on both sides of its boundary. */
class TtpAssuranceTest {

    static final LocalDate DOB = LocalDate.of(1985, 3, 3);
    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    static final JsonMapper JSON = JsonMapper.builder().build();
    TestMongo mongo;
    LedgerHarness ledger;

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        ledger = new LedgerHarness(mongo.freshDatabase(), 50);
        for (String n : List.of("support", "admin1", "admin2", "senior", "other")) {
            ledger.commands().sendAndWait(new RecogniseFoundingAssurerCommand(n, new PersonName(n, null, "Founder", null),
                    LocalDate.of(1970, 1, 1), n + "@founders.example", "founder passphrase", "test",
                    n.equals("support") ? List.of(Role.SUPPORT) : List.of()));
        }
        ledger.commands().sendAndWait(new AppointRoleCommand("admin1", Role.TTP_ADMIN, "support", "notary network"));
        ledger.commands().sendAndWait(new AppointRoleCommand("admin2", Role.TTP_ADMIN, "support", "notary network"));
    }

    @AfterEach
    void tearDown() {
        ledger.close();
        mongo.close();
    }

    String member(String email) {
        String id = UUID.randomUUID().toString();
        ledger.commands().sendAndWait(new RegisterMemberCommand(id, new PersonName("T", null, "Member", null), DOB, email,
                "a good passphrase", MemberAggregateTest.fiveQuestions()));
        String nonce = ledger.eventStore().readEvents(id, 0).asStream().map(DomainEventMessage::getPayload)
                .filter(p -> p instanceof EmailVerificationRequested).map(p -> ((EmailVerificationRequested) p).nonce())
                .findFirst().orElseThrow();
        ledger.commands().sendAndWait(new VerifyEmailCommand(ledger.tokens.token(id, email, nonce)));
        return id;
    }

    AssuranceOutcome ttp(String admin, String email, String ttpName, String country, int points) {
        return ledger.commands().sendAndWait(new RecordTtpAssuranceCommand(UUID.randomUUID().toString(), admin, email, DOB,
                ttpName, "notary", country, TODAY, List.of("passport"), points));
    }

    AssuranceOutcome topUp(String senior, String email, int points) {
        return ledger.commands().sendAndWait(new RecordTopUpCommand(UUID.randomUUID().toString(), senior, email, DOB, TODAY,
                points));
    }

    @Test
    void two_ttp_assurances_from_two_ttps_then_an_independent_top_up_of_up_to_35() {
        String m = member("m@example.org");
        assertThat(ttp("other", "m@example.org", "Notary Schmidt", "DE", 35).refusalCode())
                .as("not a TTP admin").isEqualTo(RefusalCode.NOT_AUTHORISED);
        assertThat(ttp("admin1", "m@example.org", "Notary Schmidt", "DE", 36).refusalCode())
                .isEqualTo(RefusalCode.POINTS_ABOVE_ASSURER_MAXIMUM);
        assertThat(ttp("admin1", "m@example.org", "Notary Schmidt", "XX", 35).refusalCode()).isEqualTo(RefusalCode.COUNTRY_INVALID);
        assertThat(ttp("admin1", "m@example.org", " ", "DE", 35).refusalCode()).isEqualTo(RefusalCode.TTP_DETAILS_MISSING);
        assertThat(ttp("admin1", "m@example.org", "Notary Schmidt", "de", 35).isRecorded()).isTrue();
        assertThat(ttp("admin2", "m@example.org", " notary  SCHMIDT ", "DE", 35).refusalCode())
                .isEqualTo(RefusalCode.TTP_NOT_DIFFERENT);
        assertThat(ttp("admin2", "m@example.org", "Bank officer Jansen", "NL", 35).isRecorded()).isTrue();
        assertThat(ttp("admin1", "m@example.org", "Lawyer Rossi", "IT", 10).refusalCode()).isEqualTo(RefusalCode.TTP_LIMIT_REACHED);

        assertThat(topUp("senior", "m@example.org", 30).refusalCode()).as("no challenge yet").isEqualTo(RefusalCode.TOP_UP_NOT_ELIGIBLE);
        ledger.commands().sendAndWait(new RecordAssurerChallengeCommand(m, 84, TODAY, "test"));
        assertThat(topUp("admin1", "m@example.org", 30).refusalCode()).isEqualTo(RefusalCode.TOP_UP_NOT_INDEPENDENT);
        String plain = member("plain@example.org");
        assertThat(topUp(plain, "m@example.org", 30).refusalCode()).isEqualTo(RefusalCode.SENIOR_ASSURER_REQUIRED);
        assertThat(topUp("senior", "m@example.org", 36).refusalCode()).isEqualTo(RefusalCode.POINTS_ABOVE_ASSURER_MAXIMUM);
        assertThat(topUp("senior", "m@example.org", 35).isRecorded()).as("35, not the legacy code's 30").isTrue();
        assertThat(topUp("other", "m@example.org", 10).refusalCode()).isEqualTo(RefusalCode.TOP_UP_ALREADY_GIVEN);

        List<Object> stream = ledger.eventStore().readEvents(m, 0).asStream().map(DomainEventMessage::getPayload)
                .map(p -> (Object) p).toList();
        assertThat(stream).filteredOn(e -> e instanceof TtpAssuranceRecorded).extracting(e -> ((TtpAssuranceRecorded) e).counted())
                .containsExactly(35, 35, 30);
        // TTP and top-up assurances earn the recording members no experience points.
        for (String recorder : List.of("admin1", "admin2", "senior")) {
            assertThat(ledger.eventStore().readEvents(recorder, 0).asStream().map(DomainEventMessage::getPayload))
                    .noneMatch(e -> e instanceof AssuranceGiven);
        }
    }

    @Test
    void a_ttp_assurance_is_possible_only_below_100_points() {
        member("full@example.org");
        member("almost@example.org");
        for (String f : List.of("senior", "other", "support")) {
            ledger.commands().sendAndWait(new RecordAssuranceCommand(UUID.randomUUID().toString(), f, "full@example.org", DOB,
                    TODAY, "Berlin", 35, List.of("passport"), true, true));
        }
        assertThat(ttp("admin1", "full@example.org", "Notary A", "DE", 10).refusalCode()).isEqualTo(RefusalCode.ASSUREE_HAS_100_POINTS);
        int[] almost = {35, 35, 29};
        String[] assurers = {"senior", "other", "support"};
        for (int i = 0; i < 3; i++) {
            ledger.commands().sendAndWait(new RecordAssuranceCommand(UUID.randomUUID().toString(), assurers[i],
                    "almost@example.org", DOB, TODAY, "Berlin", almost[i], List.of("passport"), true, true));
        }
        assertThat(ttp("admin1", "almost@example.org", "Notary A", "DE", 10).isRecorded()).as("99 points").isTrue();
        assertThat(ttp("admin1", "nobody@example.org", "Notary A", "DE", 10).refusalCode()).isEqualTo(RefusalCode.ASSUREE_NOT_FOUND);
        assertThat(ttp("admin1", "admin1@founders.example", "Notary A", "DE", 10).refusalCode()).isEqualTo(RefusalCode.SELF_ASSURANCE);
    }

    /**
     * Upgrades: events are never rewritten, so a TTP assurance stored by the previous release (revision
     * 1: the TTP as loose fields) must still load, in the aggregate (its rules still see the TTP) and in
     * the event stream projections read.
     */
    @Test
    void a_revision_1_ttp_assurance_stored_by_the_previous_release_still_loads() {
        String m = member("old@example.org");
        assertThat(ttp("admin1", "old@example.org", "Notary Schmidt", "DE", 35).isRecorded()).isTrue();
        ledger.commands().sendAndWait(new RecordAssurerChallengeCommand(m, 84, TODAY, "test"));
        assertThat(ttp("admin2", "old@example.org", "Bank officer Jansen", "NL", 35).isRecorded()).isTrue();
        assertThat(topUp("senior", "old@example.org", 20).isRecorded()).isTrue();
        // Put the events back as revision 1 wrote them: same values, the TTP as three loose fields.
        MongoCollection<Document> events = ledger.db.getCollection("events");
        int rewritten = 0;
        for (Document d : events.find(new Document("payloadType", TtpAssuranceRecorded.class.getName()))) {
            JsonNode v2 = JSON.readTree(d.getString("payload"));
            JsonNode ttp = v2.path("ttp");
            String v1 = "{\"assuranceId\":" + v2.get("assuranceId") + ",\"assureeId\":" + v2.get("assureeId")
                    + ",\"recordedBy\":" + v2.get("recordedBy") + ",\"kind\":" + v2.get("kind") + ",\"points\":"
                    + v2.get("points") + ",\"counted\":" + v2.get("counted") + ",\"ttpName\":" + orNull(ttp, "name")
                    + ",\"ttpKind\":" + orNull(ttp, "kind") + ",\"country\":" + orNull(ttp, "country") + ",\"date\":"
                    + v2.get("date") + ",\"documents\":" + v2.get("documents") + ",\"recordedAt\":" + v2.get("recordedAt") + "}";
            events.updateOne(new Document("_id", d.get("_id")), new Document("$set",
                    new Document("payload", v1).append("payloadRevision", "1")));
            rewritten++;
        }
        assertThat(rewritten).isEqualTo(3);
        ledger.db.getCollection("snapshots").deleteMany(new Document());

        List<TtpAssuranceRecorded> loaded = ledger.eventStore().readEvents(m, 0).asStream()
                .map(DomainEventMessage::getPayload).filter(p -> p instanceof TtpAssuranceRecorded)
                .map(p -> (TtpAssuranceRecorded) p).toList();
        assertThat(loaded).extracting(TtpAssuranceRecorded::ttp).containsExactly(
                new TrustedThirdParty("Notary Schmidt", "notary", "DE"),
                new TrustedThirdParty("Bank officer Jansen", "notary", "NL"), null);
        assertThat(loaded).extracting(TtpAssuranceRecorded::counted).containsExactly(35, 35, 20);
        // The tracked stream (what projections read) upcasts the same way.
        try (var stream = ledger.eventStore().openStream(null)) {
            List<Object> payloads = new java.util.ArrayList<>();
            while (stream.hasNextAvailable()) {
                payloads.add(stream.nextAvailable().getPayload());
            }
            assertThat(payloads).filteredOn(p -> p instanceof TtpAssuranceRecorded).hasSize(3);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        // The aggregate, loaded from the old events, still knows both TTPs and the top-up.
        assertThat(ttp("admin1", "old@example.org", "Lawyer Rossi", "IT", 10).refusalCode())
                .isEqualTo(RefusalCode.TTP_LIMIT_REACHED);
        assertThat(topUp("other", "old@example.org", 10).refusalCode()).isEqualTo(RefusalCode.TOP_UP_ALREADY_GIVEN);
    }

    private static String orNull(JsonNode ttp, String field) {
        return ttp.isNull() || ttp.isMissingNode() ? "null" : ttp.get(field).toString();
    }
}
