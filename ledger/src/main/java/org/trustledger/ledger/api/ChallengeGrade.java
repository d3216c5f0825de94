package org.trustledger.ledger.api;

/** The grade of one challenge attempt. */
public record ChallengeGrade(String attemptId, int correct, int total, int scorePercent, boolean passed) {
}
