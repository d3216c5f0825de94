package org.trustledger.ledger.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trustledger.ledger.member.MemberAggregateTest.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.api.EmailVerified;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecoveryAttemptFailed;
import org.trustledger.ledger.api.RecoveryAttemptRefused;
import org.trustledger.ledger.api.RecoveryHeld;
import org.trustledger.ledger.api.RecoveryIdentificationFailed;
import org.trustledger.ledger.api.RecoveryLocked;
import org.trustledger.ledger.api.RecoveryOutcome;
import org.trustledger.ledger.api.RecoveryStarted;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.SecurityQuestion;
import org.trustledger.ledger.api.StartRecoveryCommand;
import org.trustledger.ledger.testing.TestMongo;

/**
 * Passphrase recovery step 1 (DOMAIN.md section 1): wrong details pause recovery for a day after three
 * within a day, never lock it; a locked or paused account answers exactly as an unknown address.
 */
class RecoveryTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String ID = "m-1";
    static final String EMAIL = "ada@example.org";
    static final LocalDate DOB = LocalDate.of(1990, 12, 10);

    TestMongo mongo;
    AggregateTestFixture<Member> fixture;

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        var db = mongo.freshDatabase();
        EmailRegistry registry = new EmailRegistry(db);
        registry.claim(EMAIL, ID, NOW.minus(Duration.ofDays(30)));
        registry.markVerified(EMAIL, ID);
        SecretHasher hasher = new SecretHasher(4);
        fixture = new AggregateTestFixture<>(Member.class);
        fixture.registerAnnotatedCommandHandler(new CredentialsHandler(fixture.getRepository(), registry, hasher,
                new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterEach
    void tearDown() {
        mongo.close();
    }

    static List<Object> member(Object... more) {
        List<SecurityQuestion> questions = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            questions.add(new SecurityQuestion("Question " + i + "?", "hash"));
        }
        List<Object> given = new ArrayList<>(List.of(new MemberRegistered(ID, new PersonName("Ada", null, "Lovelace", null),
                DOB, EMAIL, "hash", questions, NOW.minus(Duration.ofDays(30))),
                new EmailVerified(ID, EMAIL, NOW.minus(Duration.ofDays(30)))));
        given.addAll(List.of(more));
        return given;
    }

    static RecoveryIdentificationFailed wrong(Duration ago) {
        return new RecoveryIdentificationFailed(ID, "r-" + ago, NOW.minus(ago));
    }

    @Test
    void the_third_wrong_date_of_birth_within_a_day_pauses_recovery_for_a_day() {
        fixture.given(member(wrong(Duration.ofHours(5)), wrong(Duration.ofHours(1))))
                .when(new StartRecoveryCommand("r-3", EMAIL, DOB.plusDays(1)))
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        (RecoveryOutcome o) -> !o.ok() && o.refusalCode() == RefusalCode.RECOVERY_FAILED))
                .expectEventsMatching(events(payloads -> {
                    assertThat(payloads).hasSize(2);
                    assertThat(payloads.get(0)).isInstanceOf(RecoveryIdentificationFailed.class);
                    RecoveryHeld held = (RecoveryHeld) payloads.get(1);
                    assertThat(held.failures()).isEqualTo(3);
                    assertThat(held.until()).isEqualTo(NOW.plus(Duration.ofHours(24)));
                }));
    }

    @Test
    void wrong_dates_of_birth_older_than_a_day_do_not_count() {
        fixture.given(member(wrong(Duration.ofHours(30)), wrong(Duration.ofHours(25))))
                .when(new StartRecoveryCommand("r-3", EMAIL, DOB.plusDays(1)))
                .expectEventsMatching(events(payloads -> assertThat(payloads).singleElement()
                        .isInstanceOf(RecoveryIdentificationFailed.class)));
    }

    @Test
    void while_paused_the_right_details_are_refused_as_wrong_ones_and_recorded() {
        fixture.given(member(new RecoveryHeld(ID, 3, NOW.minus(Duration.ofHours(2)), NOW.plus(Duration.ofHours(22)))))
                .when(new StartRecoveryCommand("r-4", EMAIL, DOB))
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        (RecoveryOutcome o) -> !o.ok() && o.refusalCode() == RefusalCode.RECOVERY_FAILED
                                && o.message().equals(Member.RECOVERY_REFUSED)))
                .expectEventsMatching(events(payloads -> assertThat(payloads).singleElement()
                        .isInstanceOf(RecoveryAttemptRefused.class)));
    }

    @Test
    void an_unknown_address_is_refused_with_the_same_words_and_records_nothing() {
        fixture.given(member()).when(new StartRecoveryCommand("r-x", "nobody@example.org", DOB))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        (RecoveryOutcome o) -> !o.ok() && o.refusalCode() == RefusalCode.RECOVERY_FAILED
                                && o.message().equals(Member.RECOVERY_REFUSED)));
    }

    @Test
    void after_the_pause_the_right_details_start_a_recovery() {
        fixture.given(member(new RecoveryHeld(ID, 3, NOW.minus(Duration.ofHours(25)), NOW.minus(Duration.ofHours(1)))))
                .when(new StartRecoveryCommand("r-5", EMAIL, DOB))
                .expectEventsMatching(events(payloads -> assertThat(payloads).singleElement()
                        .isInstanceOf(RecoveryStarted.class)));
    }

    @Test
    void wrong_details_never_lock_recovery_however_many() {
        List<Object> given = new ArrayList<>();
        for (int day = 10; day >= 1; day--) {
            given.add(wrong(Duration.ofDays(day)));
        }
        fixture.given(member(given.toArray()))
                .when(new StartRecoveryCommand("r-6", EMAIL, DOB))
                .expectEventsMatching(events(payloads -> assertThat(payloads).singleElement()
                        .isInstanceOf(RecoveryStarted.class)));
    }

    @Test
    void a_locked_recovery_refuses_the_right_details_as_an_unknown_address_would() {
        fixture.given(member(new RecoveryAttemptFailed(ID, "a", "wrong answers", NOW.minusSeconds(300)),
                        new RecoveryAttemptFailed(ID, "b", "wrong answers", NOW.minusSeconds(200)),
                        new RecoveryAttemptFailed(ID, "c", "wrong answers", NOW.minusSeconds(100)),
                        new RecoveryLocked(ID, 3, NOW.minusSeconds(100))))
                .when(new StartRecoveryCommand("r-7", EMAIL, DOB))
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        (RecoveryOutcome o) -> !o.ok() && o.refusalCode() == RefusalCode.RECOVERY_FAILED
                                && o.message().equals(Member.RECOVERY_REFUSED)))
                .expectEventsMatching(events(payloads -> assertThat(payloads).singleElement()
                        .isInstanceOf(RecoveryAttemptRefused.class)));
    }
}
