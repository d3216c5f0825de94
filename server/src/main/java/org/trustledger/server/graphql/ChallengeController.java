package org.trustledger.server.graphql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.ledger.api.ChallengeGrade;
import org.trustledger.ledger.api.StartAssurerChallengeCommand;
import org.trustledger.ledger.api.SubmitAssurerChallengeCommand;
import org.trustledger.ledger.challenge.QuestionBank;
import org.trustledger.ledger.rules.PointsRules;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.MemberView;

/** The Assurer Challenge over GraphQL: questions go out without their answers; grading is on the server. */
@Controller
public class ChallengeController {

    private final CommandGateway commands;
    private final QuestionBank bank;
    private final MemberReadModel members;
    private final ReadModelSync sync;

    public ChallengeController(CommandGateway commands, QuestionBank bank, MemberReadModel members, ReadModelSync sync) {
        this.commands = commands;
        this.bank = bank;
        this.members = members;
        this.sync = sync;
    }

    record ChallengeQuestion(String id, String question, List<String> options) {
    }

    record StartPayload(String attemptId, List<ChallengeQuestion> questions, int passMarkPercent, Types.Refusal error) {
    }

    record AnswerInput(String questionId, Integer choice) {
    }

    record SubmitInput(String memberId, String attemptId, List<AnswerInput> answers) {
    }

    record SubmitPayload(MemberReadModel.ChallengeAttempt result, MemberView member, Types.Refusal error) {
    }

    @QueryMapping
    public List<MemberReadModel.ChallengeAttempt> assurerChallengeResults(@Argument String memberId) {
        return members.challengeAttempts(memberId);
    }

    @MutationMapping
    public StartPayload startAssurerChallenge(@Argument String memberId) {
        String attemptId = UUID.randomUUID().toString();
        try {
            List<String> ids = commands.sendAndWait(new StartAssurerChallengeCommand(memberId, attemptId));
            List<ChallengeQuestion> questions = ids.stream().map(bank::question)
                    .map(q -> new ChallengeQuestion(q.id(), q.question(), q.options())).toList();
            return new StartPayload(attemptId, questions, PointsRules.CHALLENGE_PASS_MARK_PERCENT, null);
        } catch (RuntimeException e) {
            return new StartPayload(null, null, PointsRules.CHALLENGE_PASS_MARK_PERCENT, LedgerMutations.refusal(e));
        }
    }

    @MutationMapping
    public SubmitPayload submitAssurerChallenge(@Argument SubmitInput input) {
        Map<String, Integer> answers = new HashMap<>();
        for (AnswerInput a : input.answers()) {
            answers.put(a.questionId(), a.choice());
        }
        ChallengeGrade grade;
        try {
            grade = commands.sendAndWait(new SubmitAssurerChallengeCommand(input.memberId(), input.attemptId(), answers));
        } catch (RuntimeException e) {
            return new SubmitPayload(null, null, LedgerMutations.refusal(e));
        }
        sync.awaitMember(input.memberId());
        MemberReadModel.ChallengeAttempt attempt = members.challengeAttempts(input.memberId()).stream()
                .filter(a -> a.attemptId().equals(grade.attemptId())).findFirst().orElseThrow();
        return new SubmitPayload(attempt, members.member(input.memberId()).orElseThrow(), null);
    }
}
