package org.trustledger.ledger.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trustledger.ledger.api.AddEmailCommand;
import org.trustledger.ledger.api.AssurerChallengePassed;
import org.trustledger.ledger.api.EmailVerificationExpired;
import org.trustledger.ledger.api.EmailVerificationRequested;
import org.trustledger.ledger.api.EmailVerified;
import org.trustledger.ledger.api.ExpireUnverifiedEmailCommand;
import org.trustledger.ledger.api.FoundingAssurerRecognised;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecogniseFoundingAssurerCommand;
import org.trustledger.ledger.api.RecordAssurerChallengeCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.RegisterMemberCommand;
import org.trustledger.ledger.api.SecurityQuestionAnswer;
import org.trustledger.ledger.testing.TestMongo;

/** Given/when/then for every command path of the Member aggregate. */
public class MemberAggregateTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String ID = "m-1";
    static final PersonName NAME = new PersonName("Ada", null, "Lovelace", null);
    static final LocalDate DOB = LocalDate.of(1990, 12, 10);

    TestMongo mongo;
    EmailRegistry registry;
    AggregateTestFixture<Member> fixture;

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        var db = mongo.freshDatabase();
        registry = new EmailRegistry(db);
        fixture = new AggregateTestFixture<>(Member.class);
        fixture.registerInjectableResource(registry);
        fixture.registerInjectableResource(new EmailTokens(db, new SecureRandom()));
        fixture.registerInjectableResource(new SecretHasher(4));
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        mongo.close();
    }

    public static List<SecurityQuestionAnswer> fiveQuestions() {
        List<SecurityQuestionAnswer> qs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            qs.add(new SecurityQuestionAnswer("Question " + i + "?", "Answer " + i));
        }
        return qs;
    }

    static RegisterMemberCommand register(String email) {
        return new RegisterMemberCommand(ID, NAME, DOB, email, "correct horse battery", fiveQuestions());
    }

    static MemberRegistered registered() {
        return new MemberRegistered(ID, NAME, DOB, "ada@example.org", "hash", List.of(), NOW.minusSeconds(60));
    }

    static EmailVerificationRequested requested(String email, Instant expiresAt) {
        return new EmailVerificationRequested(ID, email, "nonce-" + email, NOW.minusSeconds(60), expiresAt);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Matcher<List<EventMessage<?>>> events(Consumer<List<Object>> check) {
        return (Matcher) Matchers.predicate((List<EventMessage<?>> messages) -> {
            List<Object> payloads = messages.stream().map(m -> (Object) m.getPayload()).toList();
            check.accept(payloads);
            return true;
        });
    }

    static Matcher<?> refusal(RefusalCode code) {
        return Matchers.predicate((Object e) -> e instanceof LedgerRefusal r && r.code() == code);
    }

    @Test
    void registering_records_the_member_with_hashes_only_and_asks_for_verification() {
        fixture.givenNoPriorActivity().when(register(" Ada@Example.ORG ")).expectSuccessfulHandlerExecution()
                .expectEventsMatching(events(payloads -> {
                    assertThat(payloads).hasSize(2);
                    MemberRegistered r = (MemberRegistered) payloads.get(0);
                    assertThat(r.primaryEmail()).isEqualTo("ada@example.org");
                    assertThat(r.passphraseHash()).startsWith("$2").doesNotContain("correct horse");
                    assertThat(r.securityQuestions()).hasSize(5)
                            .allSatisfy(q -> assertThat(q.answerHash()).startsWith("$2").doesNotContain("Answer"));
                    EmailVerificationRequested v = (EmailVerificationRequested) payloads.get(1);
                    assertThat(v.memberId()).isEqualTo(ID);
                    assertThat(v.expiresAt()).isEqualTo(NOW.plusSeconds(48 * 3600));
                }));
        assertThat(registry.find("ada@example.org")).get().extracting(EmailRegistry.Claim::memberId).isEqualTo(ID);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "NAME_REQUIRED, '', Lovelace, 1990-12-10, ada@example.org, correct horse battery",
            "NAME_REQUIRED, Ada, ' ', 1990-12-10, ada@example.org, correct horse battery",
            "DATE_OF_BIRTH_INVALID, Ada, Lovelace, 2026-11-24, ada@example.org, correct horse battery",
            "DATE_OF_BIRTH_INVALID, Ada, Lovelace, 1876-11-22, ada@example.org, correct horse battery",
            "EMAIL_INVALID, Ada, Lovelace, 1990-12-10, ada@, correct horse battery",
            "EMAIL_INVALID, Ada, Lovelace, 1990-12-10, ada example.org, correct horse battery",
            "PASSPHRASE_TOO_SHORT, Ada, Lovelace, 1990-12-10, ada@example.org, 123456789",
            "PASSPHRASE_TOO_COMMON, Ada, Lovelace, 1990-12-10, ada@example.org, 1234567890",
            "PASSPHRASE_TOO_COMMON, Ada, Lovelace, 1990-12-10, ada@example.org, Correct Horse Battery Staple",
            "PASSPHRASE_TOO_COMMON, Ada, Lovelace, 1990-12-10, ada@example.org, sunshine2026",
            "PASSPHRASE_TOO_COMMON, Ada, Lovelace, 1990-12-10, ada@example.org, abcabcabcabc",
    })
    void registering_refuses_bad_input_and_records_nothing(RefusalCode code, String given, String family,
                                                           LocalDate dob, String email, String passphrase) {
        fixture.givenNoPriorActivity()
                .when(new RegisterMemberCommand(ID, new PersonName(given, null, family, null), dob, email, passphrase,
                        fiveQuestions()))
                .expectException(refusal(code)).expectNoEvents();
        assertThat(registry.find("ada@example.org")).isEmpty();
    }

    @Test
    void a_passphrase_of_exactly_ten_characters_is_enough() {
        fixture.givenNoPriorActivity()
                .when(new RegisterMemberCommand(ID, NAME, DOB, "ada@example.org", "kq7vz4rtxw", fiveQuestions()))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void registering_needs_exactly_five_distinct_filled_questions() {
        List<SecurityQuestionAnswer> four = fiveQuestions().subList(0, 4);
        fixture.givenNoPriorActivity().when(new RegisterMemberCommand(ID, NAME, DOB, "a@example.org", "kq7vz4rtxw", four))
                .expectException(refusal(RefusalCode.SECURITY_QUESTIONS_NOT_FIVE)).expectNoEvents();
        List<SecurityQuestionAnswer> six = new ArrayList<>(fiveQuestions());
        six.add(new SecurityQuestionAnswer("Six?", "6"));
        fixture.givenNoPriorActivity().when(new RegisterMemberCommand(ID, NAME, DOB, "a@example.org", "kq7vz4rtxw", six))
                .expectException(refusal(RefusalCode.SECURITY_QUESTIONS_NOT_FIVE)).expectNoEvents();
        List<SecurityQuestionAnswer> blank = new ArrayList<>(fiveQuestions());
        blank.set(2, new SecurityQuestionAnswer("Third?", "  "));
        fixture.givenNoPriorActivity().when(new RegisterMemberCommand(ID, NAME, DOB, "a@example.org", "kq7vz4rtxw", blank))
                .expectException(refusal(RefusalCode.SECURITY_QUESTION_BLANK)).expectNoEvents();
        List<SecurityQuestionAnswer> twice = new ArrayList<>(fiveQuestions());
        twice.set(4, new SecurityQuestionAnswer("question 1?", "again"));
        fixture.givenNoPriorActivity().when(new RegisterMemberCommand(ID, NAME, DOB, "a@example.org", "kq7vz4rtxw", twice))
                .expectException(refusal(RefusalCode.SECURITY_QUESTIONS_NOT_DISTINCT)).expectNoEvents();
    }

    @Test
    void an_email_belongs_to_at_most_one_account() {
        registry.claim("ada@example.org", "someone-else", NOW.minusSeconds(3600));
        fixture.givenNoPriorActivity().when(register("ada@example.org"))
                .expectException(refusal(RefusalCode.EMAIL_ALREADY_REGISTERED)).expectNoEvents();
        assertThat(registry.find("ada@example.org")).get().extracting(EmailRegistry.Claim::memberId)
                .isEqualTo("someone-else");
    }

    @Test
    void an_address_left_unverified_for_48_hours_can_be_registered_again() {
        registry.claim("ada@example.org", "someone-else", NOW.minusSeconds(48 * 3600 + 1));
        fixture.givenNoPriorActivity().when(register("ada@example.org")).expectSuccessfulHandlerExecution();
        assertThat(registry.find("ada@example.org")).get().extracting(EmailRegistry.Claim::memberId).isEqualTo(ID);
    }

    @Test
    void an_address_unverified_for_just_under_48_hours_is_still_taken() {
        registry.claim("ada@example.org", "someone-else", NOW.minusSeconds(48 * 3600 - 1));
        fixture.givenNoPriorActivity().when(register("ada@example.org"))
                .expectException(refusal(RefusalCode.EMAIL_ALREADY_REGISTERED));
    }

    @Test
    void a_founding_assurer_is_recorded_verified_with_an_explicit_genesis_event() {
        fixture.givenNoPriorActivity()
                .when(new RecogniseFoundingAssurerCommand(ID, NAME, DOB, "ada@example.org", "kq7vz4rtxw", "genesis.json", List.of()))
                .expectEventsMatching(events(payloads -> {
                    assertThat(payloads).hasSize(3);
                    assertThat(payloads.get(0)).isInstanceOf(MemberRegistered.class);
                    assertThat(payloads.get(1)).isEqualTo(new EmailVerified(ID, "ada@example.org", NOW));
                    assertThat(payloads.get(2)).isEqualTo(
                            new FoundingAssurerRecognised(ID, 100, 50, true, "genesis.json", NOW));
                }));
        assertThat(registry.find("ada@example.org")).get().extracting(EmailRegistry.Claim::verified).isEqualTo(true);
    }

    @Test
    void adding_an_email_asks_for_its_verification() {
        fixture.given(registered(), new EmailVerified(ID, "ada@example.org", NOW))
                .when(new AddEmailCommand(ID, "ada@work.example"))
                .expectEventsMatching(events(payloads -> {
                    assertThat(payloads).hasSize(1);
                    assertThat(((EmailVerificationRequested) payloads.get(0)).email()).isEqualTo("ada@work.example");
                }));
    }

    @Test
    void adding_an_already_verified_email_is_refused() {
        fixture.given(registered(), new EmailVerified(ID, "ada@example.org", NOW))
                .when(new AddEmailCommand(ID, "ADA@example.org"))
                .expectException(refusal(RefusalCode.EMAIL_ALREADY_VERIFIED)).expectNoEvents();
    }

    @Test
    void an_expired_account_cannot_add_emails() {
        fixture.given(registered(), new EmailVerificationExpired(ID, "ada@example.org", true, NOW))
                .when(new AddEmailCommand(ID, "ada@work.example"))
                .expectException(refusal(RefusalCode.ACCOUNT_EXPIRED)).expectNoEvents();
    }

    @Test
    void an_unverified_primary_email_past_48_hours_expires_the_account() {
        registry.claim("ada@example.org", ID, NOW.minusSeconds(49 * 3600));
        fixture.given(registered(), requested("ada@example.org", NOW.minusSeconds(1)))
                .when(new ExpireUnverifiedEmailCommand(ID, "ada@example.org"))
                .expectEvents(new EmailVerificationExpired(ID, "ada@example.org", true, NOW));
        assertThat(registry.find("ada@example.org")).isEmpty();
    }

    @Test
    void an_unverified_extra_email_expires_alone() {
        fixture.given(registered(), new EmailVerified(ID, "ada@example.org", NOW),
                        requested("ada@work.example", NOW.minusSeconds(1)))
                .when(new ExpireUnverifiedEmailCommand(ID, "ada@work.example"))
                .expectEvents(new EmailVerificationExpired(ID, "ada@work.example", false, NOW));
    }

    @Test
    void nothing_expires_before_its_time_or_after_verification() {
        fixture.given(registered(), requested("ada@example.org", NOW.plusSeconds(1)))
                .when(new ExpireUnverifiedEmailCommand(ID, "ada@example.org")).expectNoEvents();
        fixture.given(registered(), requested("ada@example.org", NOW.minusSeconds(1)),
                        new EmailVerified(ID, "ada@example.org", NOW.minusSeconds(2)))
                .when(new ExpireUnverifiedEmailCommand(ID, "ada@example.org")).expectNoEvents();
    }

    @Test
    void a_member_corrects_name_and_date_of_birth_only_while_at_0_points() {
        PersonName fixed = new PersonName("Ada", "Augusta", "Lovelace", null);
        fixture.given(registered())
                .when(new org.trustledger.ledger.api.CorrectOwnDetailsCommand(ID, fixed, LocalDate.of(1990, 12, 11)))
                .expectEvents(new org.trustledger.ledger.api.NameChanged(null, ID, fixed, "corrected by the member", NOW),
                        new org.trustledger.ledger.api.DateOfBirthChanged(null, ID, LocalDate.of(1990, 12, 11),
                                "corrected by the member", NOW));
        fixture.given(registered(), new org.trustledger.ledger.api.AssuranceRecorded("a1", ID, "x",
                        org.trustledger.ledger.api.AssuranceKind.FACE_TO_FACE, 1, 1, LocalDate.of(2026, 11, 1), "Berlin",
                        "Ada Lovelace", List.of("passport"), true, true, NOW))
                .when(new org.trustledger.ledger.api.CorrectOwnDetailsCommand(ID, fixed, DOB))
                .expectException(refusal(RefusalCode.DETAILS_FIXED_BY_ASSURANCE)).expectNoEvents();
        fixture.given(registered(), new org.trustledger.ledger.api.AssuranceRecorded("a0", ID, "x",
                        org.trustledger.ledger.api.AssuranceKind.FACE_TO_FACE, 0, 0, LocalDate.of(2026, 11, 1), "Berlin",
                        "Ada Lovelace", List.of("passport"), true, true, NOW))
                .when(new org.trustledger.ledger.api.CorrectOwnDetailsCommand(ID, fixed, DOB))
                .expectEvents(new org.trustledger.ledger.api.NameChanged(null, ID, fixed, "corrected by the member", NOW));
    }

    @Test
    void the_challenge_pass_mark_is_80_percent() {
        fixture.given(registered()).when(new RecordAssurerChallengeCommand(ID, 80, LocalDate.of(2026, 11, 20), "admin"))
                .expectEvents(new AssurerChallengePassed(ID, 80, LocalDate.of(2026, 11, 20), "admin", NOW));
        fixture.given(registered()).when(new RecordAssurerChallengeCommand(ID, 79, null, "admin"))
                .expectException(refusal(RefusalCode.CHALLENGE_SCORE_BELOW_PASS_MARK)).expectNoEvents();
        fixture.given(registered()).when(new RecordAssurerChallengeCommand(ID, 101, null, "admin"))
                .expectException(refusal(RefusalCode.CHALLENGE_SCORE_INVALID)).expectNoEvents();
        fixture.given(registered())
                .when(new RecordAssurerChallengeCommand(ID, 90, LocalDate.of(2026, 11, 24), "admin"))
                .expectException(refusal(RefusalCode.CHALLENGE_SCORE_INVALID)).expectNoEvents();
    }
}
