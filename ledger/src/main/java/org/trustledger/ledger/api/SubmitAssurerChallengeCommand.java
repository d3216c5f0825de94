package org.trustledger.ledger.api;

import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Submit the answers of an open attempt (question id to the index of the chosen option); answers the grade. */
public record SubmitAssurerChallengeCommand(@TargetAggregateIdentifier String memberId, String attemptId,
                                            Map<String, Integer> answers) {
}
