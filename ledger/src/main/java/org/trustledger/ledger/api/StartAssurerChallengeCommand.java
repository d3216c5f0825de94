package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Start an Assurer Challenge attempt; answers the drawn question ids. */
public record StartAssurerChallengeCommand(@TargetAggregateIdentifier String memberId, String attemptId) {
}
