package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Add another email address to a member's account; it must be verified like the first. */
public record AddEmailCommand(@TargetAggregateIdentifier String memberId, String email) {
}
