package org.trustledger.ledger.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.api.AssuranceGiven;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.AssuranceRecorded;
import org.trustledger.ledger.api.AssuranceRefused;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecogniseFoundingAssurerCommand;
import org.trustledger.ledger.api.RecordAssuranceCommand;
import org.trustledger.ledger.api.RecordAssurerChallengeCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.RegisterMemberCommand;
import org.trustledger.ledger.api.SecurityQuestionAnswer;
import org.trustledger.ledger.api.VerifyEmailCommand;
import org.trustledger.ledger.testing.LedgerHarness;
import org.trustledger.ledger.testing.TestMongo;

import org.junit.jupiter.api.Assertions;

/**
 * Face-to-face assurance across two members, on the real event store: every rule of DOMAIN.md
 * section 2 with both sides of its boundary, and refusals recorded without changing anything else.
 */
class AssuranceHandlerTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    TestMongo mongo;
    LedgerHarness ledger;
    List<String> founders = new ArrayList<>();

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        ledger = new LedgerHarness(mongo.freshDatabase(), 5);
        for (String n : List.of("alice", "bob", "carol", "dave")) {
            String id = "founder-" + n;
            ledger.commands().sendAndWait(new RecogniseFoundingAssurerCommand(id,
                    new PersonName(n, null, "Founder", null), LocalDate.of(1970, 1, 1), n + "@example.org",
                    "founder passphrase", "test", List.of()));
            founders.add(id);
        }
    }

    @AfterEach
    void tearDown() {
        ledger.close();
        mongo.close();
    }

    String registerVerified(String email, LocalDate dob) {
        String id = UUID.randomUUID().toString();
        List<SecurityQuestionAnswer> qs = MemberAggregateTest.fiveQuestions();
        ledger.commands().sendAndWait(new RegisterMemberCommand(id, new PersonName("Some", null, "One", null), dob,
                email, "a good passphrase", qs));
        verify(id, email);
        return id;
    }

    void verify(String id, String email) {
        EmailVerificationRequestedFinder finder = new EmailVerificationRequestedFinder();
        String nonce = finder.nonce(id, email);
        ledger.commands().sendAndWait(new VerifyEmailCommand(ledger.tokens.token(id, email, nonce)));
    }

    /** Reads the nonce of the member's latest verification request from their stream. */
    class EmailVerificationRequestedFinder {
        String nonce(String id, String email) {
            return ledger.eventStore().readEvents(id, 0).asStream().map(DomainEventMessage::getPayload)
                    .filter(p -> p instanceof org.trustledger.ledger.api.EmailVerificationRequested r
                            && r.email().equals(email))
                    .map(p -> ((org.trustledger.ledger.api.EmailVerificationRequested) p).nonce())
                    .reduce((a, b) -> b).orElseThrow();
        }
    }

    RecordAssuranceCommand assurance(String assurerId, String email, LocalDate dob, int points) {
        return new RecordAssuranceCommand(UUID.randomUUID().toString(), assurerId, email, dob, TODAY, "Berlin", points,
                List.of("passport"), true, true);
    }

    AssuranceOutcome send(RecordAssuranceCommand cmd) {
        return ledger.commands().sendAndWait(cmd);
    }

    List<Object> stream(String id) {
        return ledger.eventStore().readEvents(id, 0).asStream().map(m -> (Object) m.getPayload()).toList();
    }

    /** Makes a fresh member an Assurer: three founders' assurances and a passed challenge. */
    String newAssurer(String email) {
        LocalDate dob = LocalDate.of(1985, 5, 5);
        String id = registerVerified(email, dob);
        for (int i = 0; i < 3; i++) {
            assertThat(send(assurance(founders.get(i), email, dob, 35)).isRecorded()).isTrue();
        }
        ledger.commands().sendAndWait(new RecordAssurerChallengeCommand(id, 85, TODAY, "test"));
        return id;
    }

    @Test
    void three_assurances_bring_a_member_to_100_keeping_awarded_and_counted_apart() {
        LocalDate dob = LocalDate.of(1990, 12, 10);
        String ada = registerVerified("ada@example.org", dob);
        List<Integer> counted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            AssuranceOutcome out = send(assurance(founders.get(i), "ADA@example.org", dob, 35));
            assertThat(out.isRecorded()).as(out.refusalMessage()).isTrue();
        }
        for (Object e : stream(ada)) {
            if (e instanceof AssuranceRecorded r) {
                counted.add(r.counted());
                assertThat(r.points()).isEqualTo(35);
                assertThat(r.assureeName()).isEqualTo("Some One");
            }
        }
        assertThat(counted).containsExactly(35, 35, 30, 0);
        // The fourth still earns its assurer experience: the assurance is in the assurer's stream too.
        assertThat(stream(founders.get(3))).anyMatch(e -> e instanceof AssuranceGiven);
    }

    @Test
    void a_new_assurer_may_award_10_and_not_11() {
        String assurer = newAssurer("new@example.org");
        LocalDate dob = LocalDate.of(1991, 1, 1);
        registerVerified("x@example.org", dob);
        registerVerified("y@example.org", dob);
        AssuranceOutcome tooMuch = send(assurance(assurer, "x@example.org", dob, 11));
        assertThat(tooMuch.refusalCode()).isEqualTo(RefusalCode.POINTS_ABOVE_ASSURER_MAXIMUM);
        assertThat(tooMuch.refusalMessage()).contains("at most 10");
        assertThat(send(assurance(assurer, "x@example.org", dob, 10)).isRecorded()).isTrue();
        assertThat(send(assurance(assurer, "y@example.org", dob, 0)).isRecorded()).isTrue();
    }

    @Test
    void five_assurances_earn_10_experience_points_and_raise_the_maximum_to_15() {
        String assurer = newAssurer("new@example.org");
        LocalDate dob = LocalDate.of(1991, 1, 1);
        for (int i = 0; i < 4; i++) {
            registerVerified("m" + i + "@example.org", dob);
            assertThat(send(assurance(assurer, "m" + i + "@example.org", dob, 10)).isRecorded()).isTrue();
        }
        registerVerified("m4@example.org", dob);
        // EP 8 after four: still at most 10 (snapshots every 5 events are taken along the way).
        assertThat(send(assurance(assurer, "m4@example.org", dob, 15)).refusalCode())
                .isEqualTo(RefusalCode.POINTS_ABOVE_ASSURER_MAXIMUM);
        assertThat(send(assurance(assurer, "m4@example.org", dob, 10)).isRecorded()).isTrue();
        registerVerified("m5@example.org", dob);
        assertThat(send(assurance(assurer, "m5@example.org", dob, 15)).isRecorded()).isTrue();
        assertThat(send(assurance(assurer, "m5@example.org", dob, 15)).refusalCode())
                .isEqualTo(RefusalCode.ALREADY_ASSURED_BY_ASSURER);
        // The assurer was loaded from a snapshot along the way, and its state was right.
        assertThat(ledger.db.getCollection("snapshots").countDocuments(new org.bson.Document("_id", assurer)))
                .isEqualTo(1);
    }

    @Test
    void the_assurer_must_be_an_assurer() {
        LocalDate dob = LocalDate.of(1991, 1, 1);
        String plain = registerVerified("plain@example.org", dob);
        registerVerified("x@example.org", dob);
        assertThat(send(assurance(plain, "x@example.org", dob, 5)).refusalCode()).isEqualTo(RefusalCode.ASSURER_AP_BELOW_100);

        String noChallenge = registerVerified("nochallenge@example.org", dob);
        for (int i = 0; i < 3; i++) {
            send(assurance(founders.get(i), "nochallenge@example.org", dob, 35));
        }
        assertThat(send(assurance(noChallenge, "x@example.org", dob, 5)).refusalCode())
                .isEqualTo(RefusalCode.ASSURER_CHALLENGE_NOT_PASSED);
        assertThat(send(assurance("no-such-member", "x@example.org", dob, 5)).refusalCode())
                .isEqualTo(RefusalCode.ASSURER_NOT_FOUND);
    }

    @Test
    void the_assuree_is_named_by_primary_email_and_date_of_birth_both() {
        LocalDate dob = LocalDate.of(1991, 1, 1);
        registerVerified("x@example.org", dob);
        String f = founders.get(0);
        assertThat(send(assurance(f, "x@example.org", dob.plusDays(1), 10)).refusalCode())
                .isEqualTo(RefusalCode.ASSUREE_NOT_FOUND);
        assertThat(send(assurance(f, "nobody@example.org", dob, 10)).refusalCode())
                .isEqualTo(RefusalCode.ASSUREE_NOT_FOUND);
        assertThat(send(assurance(f, "alice@example.org", LocalDate.of(1970, 1, 1), 10)).refusalCode())
                .isEqualTo(RefusalCode.SELF_ASSURANCE);
    }

    @Test
    void the_assuree_must_have_verified_the_account() {
        LocalDate dob = LocalDate.of(1991, 1, 1);
        List<SecurityQuestionAnswer> qs = MemberAggregateTest.fiveQuestions();
        ledger.commands().sendAndWait(new RegisterMemberCommand("u-1", new PersonName("U", null, "V", null), dob,
                "unverified@example.org", "a good passphrase", qs));
        assertThat(send(assurance(founders.get(0), "unverified@example.org", dob, 10)).refusalCode())
                .isEqualTo(RefusalCode.ASSUREE_NOT_VERIFIED);
    }

    @Test
    void the_cap_form_rules_each_refuse_with_their_own_code_on_the_right_side_of_the_boundary() {
        LocalDate dob = LocalDate.of(1991, 1, 1);
        registerVerified("x@example.org", dob);
        String f = founders.get(0);
        RecordAssuranceCommand ok = assurance(f, "x@example.org", dob, 35);
        record Case(RefusalCode code, RecordAssuranceCommand cmd) {
        }
        List<Case> cases = List.of(
                new Case(RefusalCode.POINTS_NEGATIVE, with(ok, -1, ok.date(), ok.location(), ok.documents(), true, true)),
                new Case(RefusalCode.POINTS_ABOVE_ASSURER_MAXIMUM, with(ok, 36, ok.date(), ok.location(), ok.documents(), true, true)),
                new Case(RefusalCode.ASSURANCE_DATE_IN_FUTURE, with(ok, 35, TODAY.plusDays(2), ok.location(), ok.documents(), true, true)),
                new Case(RefusalCode.LOCATION_TOO_SHORT, with(ok, 35, ok.date(), " ab ", ok.documents(), true, true)),
                new Case(RefusalCode.DOCUMENTS_MISSING, with(ok, 35, ok.date(), ok.location(), List.of(), true, true)),
                new Case(RefusalCode.DOCUMENTS_MISSING, with(ok, 35, ok.date(), ok.location(), List.of(" "), true, true)),
                new Case(RefusalCode.COMMUNITY_AGREEMENT_MISSING, with(ok, 35, ok.date(), ok.location(), ok.documents(), false, true)),
                new Case(RefusalCode.ORIGINAL_DOCUMENTS_NOT_SEEN, with(ok, 35, ok.date(), ok.location(), ok.documents(), true, false)));
        int eventsBefore = stream(f).size();
        for (Case c : cases) {
            AssuranceOutcome out = send(c.cmd());
            assertThat(out.refusalCode()).as(c.code().name()).isEqualTo(c.code());
            assertThat(out.refusalMessage()).isNotBlank();
        }
        // Each refusal is on record in the assurer's stream, and nothing else changed.
        List<Object> assurerStream = stream(f);
        assertThat(assurerStream).hasSize(eventsBefore + cases.size());
        assertThat(assurerStream.subList(eventsBefore, assurerStream.size())).allMatch(e -> e instanceof AssuranceRefused);
        assertThat(stream(ledger.registry.find("x@example.org").orElseThrow().memberId()))
                .noneMatch(e -> e instanceof AssuranceRecorded);
        // The other side of each boundary: tomorrow, 3 characters, 35 points are fine.
        assertThat(send(with(ok, 35, TODAY.plusDays(1), "abc", ok.documents(), true, true)).isRecorded()).isTrue();
    }

    static RecordAssuranceCommand with(RecordAssuranceCommand c, int points, LocalDate date, String location,
                                       List<String> docs, boolean agreed, boolean seen) {
        return new RecordAssuranceCommand(UUID.randomUUID().toString(), c.assurerId(), c.assureeEmail(),
                c.assureeDateOfBirth(), date, location, points, docs, agreed, seen);
    }

    @Test
    void email_tokens_verify_once_and_forged_or_expired_tokens_are_refused() {
        LocalDate dob = LocalDate.of(1991, 1, 1);
        List<SecurityQuestionAnswer> qs = MemberAggregateTest.fiveQuestions();
        ledger.commands().sendAndWait(new RegisterMemberCommand("t-1", new PersonName("T", null, "V", null), dob,
                "t@example.org", "a good passphrase", qs));
        String nonce = new EmailVerificationRequestedFinder().nonce("t-1", "t@example.org");
        String token = ledger.tokens.token("t-1", "t@example.org", nonce);
        LedgerRefusal forged = Assertions.assertThrows(LedgerRefusal.class,
                () -> ledger.commands().sendAndWait(new VerifyEmailCommand(nonce + ".AAAAAAAAAAAAAAAAAAAAAAAAAAA")));
        assertThat(forged.code()).isEqualTo(RefusalCode.TOKEN_INVALID);
        LedgerRefusal garbage = Assertions.assertThrows(LedgerRefusal.class,
                () -> ledger.commands().sendAndWait(new VerifyEmailCommand("garbage")));
        assertThat(garbage.code()).isEqualTo(RefusalCode.TOKEN_INVALID);

        ledger.clock.advance(java.time.Duration.ofHours(48).plusSeconds(1));
        LedgerRefusal expired = Assertions.assertThrows(LedgerRefusal.class,
                () -> ledger.commands().sendAndWait(new VerifyEmailCommand(token)));
        assertThat(expired.code()).isEqualTo(RefusalCode.TOKEN_EXPIRED);
    }

    @Test
    void a_token_verifies_within_48_hours_and_only_once() {
        LocalDate dob = LocalDate.of(1991, 1, 1);
        List<SecurityQuestionAnswer> qs = MemberAggregateTest.fiveQuestions();
        ledger.commands().sendAndWait(new RegisterMemberCommand("t-2", new PersonName("T", null, "V", null), dob,
                "t2@example.org", "a good passphrase", qs));
        String token = ledger.tokens.token("t-2", "t2@example.org",
                new EmailVerificationRequestedFinder().nonce("t-2", "t2@example.org"));
        ledger.clock.advance(java.time.Duration.ofHours(48).minusSeconds(1));
        assertThat((String) ledger.commands().sendAndWait(new VerifyEmailCommand(token))).isEqualTo("t-2");
        LedgerRefusal again = Assertions.assertThrows(LedgerRefusal.class,
                () -> ledger.commands().sendAndWait(new VerifyEmailCommand(token)));
        assertThat(again.code()).isEqualTo(RefusalCode.EMAIL_ALREADY_VERIFIED);
    }
}
