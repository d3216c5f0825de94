package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A challenge attempt was answered and graded on the server. */
@Revision("1")
public record AssurerChallengeGraded(String memberId, String attemptId, int correct, int total, int scorePercent,
                                     boolean passed, Instant gradedAt) {
}
