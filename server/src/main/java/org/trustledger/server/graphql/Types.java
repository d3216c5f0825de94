package org.trustledger.server.graphql;

import java.time.LocalDate;
import java.util.List;
import org.trustledger.query.AssuranceView;
import org.trustledger.query.MemberView;

/** Input and output shapes of the GraphQL contract that are not domain records. */
final class Types {

    private Types() {
    }

    record Refusal(String code, String message) {
    }

    record SecurityQuestionInput(String question, String answer) {
    }

    record RegisterMemberInput(String givenNames, String middleName, String familyName, String suffix,
                               LocalDate dateOfBirth, String email, String passphrase,
                               List<SecurityQuestionInput> securityQuestions) {
    }

    record AddEmailInput(String memberId, String email) {
    }

    record RecordAssuranceInput(String assurerId, String assureeEmail, LocalDate assureeDateOfBirth, LocalDate date,
                                String location, Integer points, List<String> documents,
                                Boolean assureeAgreedToCommunityAgreement, Boolean assurerSawOriginalDocuments) {
    }

    record RecordAssurerChallengeInput(String memberId, Integer scorePercent, LocalDate passedOn) {
    }

    record MemberPayload(MemberView member, Refusal error) {
    }

    record RecordAssurancePayload(AssuranceView assurance, Refusal error) {
    }

    record Points(int assurance, int experience, int total, int maxAssurancePoints) {
    }

    record AssuranceEdge(String cursor, AssuranceView node) {
    }

    record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    record AssuranceConnection(List<AssuranceEdge> edges, PageInfo pageInfo, int totalCount) {
    }
}
