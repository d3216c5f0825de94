package org.trustledger.ledger.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.api.AssurerChallengeGraded;
import org.trustledger.ledger.api.AssurerChallengePassed;
import org.trustledger.ledger.api.AssurerChallengeStarted;
import org.trustledger.ledger.api.ChallengeGrade;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.StartAssurerChallengeCommand;
import org.trustledger.ledger.api.SubmitAssurerChallengeCommand;
import org.trustledger.ledger.challenge.QuestionBank;

/** The Assurer Challenge quiz: 25 random questions, pass mark 80 %, graded on the server. */
class AssurerChallengeTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String ID = "m-1";
    final QuestionBank bank = QuestionBank.shipped();
    AggregateTestFixture<Member> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Member.class);
        fixture.registerInjectableResource(bank);
        fixture.registerInjectableResource(new SecureRandom());
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static MemberRegistered registered() {
        return new MemberRegistered(ID, new PersonName("A", null, "B", null), LocalDate.of(1990, 1, 1), "a@example.org", "h",
                List.of(), NOW);
    }

    List<String> drawn() {
        return bank.draw(new SecureRandom());
    }

    /** Answers the first {@code right} questions correctly and the rest wrongly. */
    Map<String, Integer> answers(List<String> ids, int right) {
        Map<String, Integer> answers = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            QuestionBank.Question q = bank.question(ids.get(i));
            answers.put(q.id(), i < right ? q.answer() : (q.answer() + 1) % q.options().size());
        }
        return answers;
    }

    @Test
    void the_shipped_bank_has_at_least_40_questions_each_with_one_answer_among_its_options() {
        assertThat(bank.size()).isGreaterThanOrEqualTo(40);
        List<String> ids = drawn();
        assertThat(ids).hasSize(25);
        assertThat(new HashSet<>(ids)).hasSize(25);
    }

    @Test
    void starting_draws_25_distinct_questions() {
        fixture.given(registered()).when(new StartAssurerChallengeCommand(ID, "t1"))
                .expectEventsMatching(MemberAggregateTest.events(payloads -> {
                    AssurerChallengeStarted s = (AssurerChallengeStarted) payloads.get(0);
                    assertThat(s.questionIds()).hasSize(25).doesNotHaveDuplicates();
                    assertThat(s.attemptId()).isEqualTo("t1");
                }));
    }

    @Test
    void twenty_of_twenty_five_passes_and_records_the_pass() {
        List<String> ids = drawn();
        fixture.given(registered(), new AssurerChallengeStarted(ID, "t1", ids, NOW))
                .when(new SubmitAssurerChallengeCommand(ID, "t1", answers(ids, 20)))
                .expectResultMessagePayload(new ChallengeGrade("t1", 20, 25, 80, true))
                .expectEvents(new AssurerChallengeGraded(ID, "t1", 20, 25, 80, true, NOW),
                        new AssurerChallengePassed(ID, 80, LocalDate.of(2026, 11, 23), "challenge t1", NOW));
    }

    @Test
    void nineteen_of_twenty_five_fails_and_may_be_retried() {
        List<String> ids = drawn();
        fixture.given(registered(), new AssurerChallengeStarted(ID, "t1", ids, NOW))
                .when(new SubmitAssurerChallengeCommand(ID, "t1", answers(ids, 19)))
                .expectEvents(new AssurerChallengeGraded(ID, "t1", 19, 25, 76, false, NOW));
        fixture.given(registered(), new AssurerChallengeStarted(ID, "t1", ids, NOW),
                        new AssurerChallengeGraded(ID, "t1", 19, 25, 76, false, NOW))
                .when(new StartAssurerChallengeCommand(ID, "t2")).expectSuccessfulHandlerExecution();
    }

    @Test
    void an_attempt_is_answered_once_and_only_its_own_questions_count() {
        List<String> ids = drawn();
        fixture.given(registered(), new AssurerChallengeStarted(ID, "t1", ids, NOW),
                        new AssurerChallengeGraded(ID, "t1", 25, 25, 100, true, NOW))
                .when(new SubmitAssurerChallengeCommand(ID, "t1", answers(ids, 25)))
                .expectException(Matchers.predicate((Object e) -> e instanceof LedgerRefusal r
                        && r.code() == RefusalCode.CHALLENGE_ATTEMPT_NOT_OPEN))
                .expectNoEvents();
        // Correct answers to questions that were not drawn do not count.
        Map<String, Integer> foreign = new HashMap<>();
        for (String other : bank.draw(new SecureRandom())) {
            if (!ids.contains(other)) {
                foreign.put(other, bank.question(other).answer());
            }
        }
        fixture.given(registered(), new AssurerChallengeStarted(ID, "t1", ids, NOW))
                .when(new SubmitAssurerChallengeCommand(ID, "t1", foreign))
                .expectEvents(new AssurerChallengeGraded(ID, "t1", 0, 25, 0, false, NOW));
    }

    @Test
    void a_member_who_passed_already_is_graded_without_a_second_pass_event() {
        List<String> ids = drawn();
        fixture.given(registered(), new AssurerChallengePassed(ID, 90, LocalDate.of(2026, 1, 1), "admin", NOW),
                        new AssurerChallengeStarted(ID, "t2", ids, NOW))
                .when(new SubmitAssurerChallengeCommand(ID, "t2", answers(ids, 25)))
                .expectEvents(new AssurerChallengeGraded(ID, "t2", 25, 25, 100, true, NOW));
    }
}
