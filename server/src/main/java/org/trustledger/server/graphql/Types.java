package org.trustledger.server.graphql;

import java.time.LocalDate;
import java.util.List;
import org.trustledger.ledger.api.Role;
import org.trustledger.query.AssuranceView;
import org.trustledger.query.CaseView;
import org.trustledger.query.MemberView;

/** Input and output shapes of the GraphQL contract that are not domain records. */
public final class Types {

    private Types() {
    }

    public record Refusal(String code, String message) {
    }

    record SecurityQuestionInput(String question, String answer) {
    }

    record RegisterMemberInput(String givenNames, String middleName, String familyName, String suffix,
                               LocalDate dateOfBirth, String email, String passphrase,
                               List<SecurityQuestionInput> securityQuestions) {
    }

    record CorrectMemberDetailsInput(String memberId, String givenNames, String middleName, String familyName,
                                     String suffix, LocalDate dateOfBirth) {
    }

    record AddEmailInput(String memberId, String email) {
    }

    record RecordAssuranceInput(String assurerId, String assureeEmail, LocalDate assureeDateOfBirth, LocalDate date,
                                String location, Integer points, List<String> documents,
                                Boolean assureeAgreedToCommunityAgreement, Boolean assurerSawOriginalDocuments) {
    }

    record RecordTtpAssuranceInput(String adminId, String assureeEmail, LocalDate assureeDateOfBirth, String ttpName,
                                   String ttpKind, String country, LocalDate date, List<String> documents,
                                   Integer points) {
    }

    record RecordTopUpInput(String seniorAssurerId, String assureeEmail, LocalDate assureeDateOfBirth, LocalDate date,
                            Integer points) {
    }

    record RecordAssurerChallengeInput(String memberId, Integer scorePercent, LocalDate passedOn) {
    }

    record MemberPayload(MemberView member, Refusal error) {
    }

    record RecordAssurancePayload(AssuranceView assurance, Refusal error) {
    }

    record AppointRoleInput(String memberId, Role role, String appointedBy, String reason) {
    }

    record WithdrawRoleInput(String memberId, Role role, String withdrawnBy, String reason) {
    }

    record RecordParentalConsentInput(String memberId, String guardianName, String recordedBy) {
    }

    record FileCaseInput(String claimantId, String respondentId, String relief) {
    }

    record AssignArbitratorInput(String caseId, String arbitratorId, String assignedBy) {
    }

    record VoidAssuranceInput(String caseId, String arbitratorId, String assuranceId, String reason) {
    }

    record AdjustPointsInput(String caseId, String arbitratorId, String memberId, Integer assurancePointsDelta,
                             Integer experiencePointsDelta, String reason) {
    }

    record MemberRulingInput(String caseId, String arbitratorId, String memberId, String reason) {
    }

    record ChangeMemberNameInput(String caseId, String arbitratorId, String memberId, String givenNames,
                                 String middleName, String familyName, String suffix, String reason) {
    }

    record ChangeMemberDateOfBirthInput(String caseId, String arbitratorId, String memberId, LocalDate dateOfBirth,
                                        String reason) {
    }

    record RevokeCertificatesInput(String caseId, String arbitratorId, String memberId, List<String> serials,
                                   String reason) {
    }

    record CloseCaseInput(String caseId, String arbitratorId, String resolution) {
    }

    record CasePayload(CaseView caseView, Refusal error) {
    }

    public record Points(int assurance, int experience, int total, int maxAssurancePoints) {
    }

    record AssuranceEdge(String cursor, AssuranceView node) {
    }

    public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    record AssuranceConnection(List<AssuranceEdge> edges, PageInfo pageInfo, int totalCount) {
    }
}
