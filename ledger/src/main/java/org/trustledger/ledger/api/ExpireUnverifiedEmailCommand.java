package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Expire an email (and, if it is the primary one, the account) left unverified for 48 hours. */
public record ExpireUnverifiedEmailCommand(@TargetAggregateIdentifier String memberId, String email) {
}
