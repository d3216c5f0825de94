package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.trustledger.ledger.challenge.QuestionBank;

/** The Assurer Challenge over GraphQL: 25 questions without answers, graded on the server, unlimited retries. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class ChallengeGraphQlTest extends LoggedInGraphQlTest {

    static final String START = "mutation($m: ID!) { startAssurerChallenge(memberId: $m) { attemptId passMarkPercent"
            + " questions { id question options } error { code } } }";
    static final String SUBMIT = "mutation($i: SubmitAssurerChallengeInput!) { submitAssurerChallenge(input: $i) {"
            + " result { correct total scorePercent passed } member { status } error { code } } }";

    final QuestionBank bank = QuestionBank.shipped();

    List<Map<String, Object>> answers(List<String> ids, int right) {
        List<Map<String, Object>> answers = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            QuestionBank.Question q = bank.question(ids.get(i));
            answers.add(Map.of("questionId", q.id(), "choice", i < right ? q.answer() : (q.answer() + 1) % q.options().size()));
        }
        return answers;
    }

    @Test
    void a_member_with_100_points_fails_once_then_passes_and_becomes_an_assurer() {
        LedgerGraphQlTest helper = LedgerGraphQlTest.over(ids);
        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper.registerAndVerify(email, "1982-04-04");
        for (String f : LedgerGraphQlTest.FOUNDERS) {
            as(f).documentName("recordAssurance").variable("input", helper.assurance(helper.memberId(f), email, "1982-04-04", 35))
                    .execute().path("recordAssurance.error").valueIsNull();
        }
        var started = this.ids.asId(member).document(START).variable("m", member).execute();
        started.path("startAssurerChallenge.passMarkPercent").entity(Integer.class).isEqualTo(80)
                .path("startAssurerChallenge.questions").entityList(Map.class).hasSize(25)
                .satisfies(qs -> assertThat(qs).allSatisfy(q -> assertThat(q).doesNotContainKey("answer")));
        String attempt = started.path("startAssurerChallenge.attemptId").entity(String.class).get();
        List<String> ids = started.path("startAssurerChallenge.questions[*].id").entityList(String.class).get();

        this.ids.asId(member).document(SUBMIT).variable("i", Map.of("memberId", member, "attemptId", attempt, "answers", answers(ids, 19)))
                .execute()
                .path("submitAssurerChallenge.result.scorePercent").entity(Integer.class).isEqualTo(76)
                .path("submitAssurerChallenge.result.passed").entity(Boolean.class).isEqualTo(false)
                .path("submitAssurerChallenge.member.status").entity(String.class).isEqualTo("ASSURED_MEMBER");
        this.ids.asId(member).document(SUBMIT).variable("i", Map.of("memberId", member, "attemptId", attempt, "answers", answers(ids, 25)))
                .execute().path("submitAssurerChallenge.error.code").entity(String.class).isEqualTo("CHALLENGE_ATTEMPT_NOT_OPEN");

        var retry = this.ids.asId(member).document(START).variable("m", member).execute();
        String second = retry.path("startAssurerChallenge.attemptId").entity(String.class).get();
        List<String> ids2 = retry.path("startAssurerChallenge.questions[*].id").entityList(String.class).get();
        this.ids.asId(member).document(SUBMIT).variable("i", Map.of("memberId", member, "attemptId", second, "answers", answers(ids2, 20)))
                .execute()
                .path("submitAssurerChallenge.result.correct").entity(Integer.class).isEqualTo(20)
                .path("submitAssurerChallenge.result.passed").entity(Boolean.class).isEqualTo(true)
                .path("submitAssurerChallenge.member.status").entity(String.class).isEqualTo("ASSURER");
        graphQl.document("query($m: ID!) { assurerChallengeResults(memberId: $m) { attemptId scorePercent passed total } }")
                .variable("m", member).execute()
                .path("assurerChallengeResults[*].passed").entityList(Boolean.class).containsExactly(false, true);
    }
}
