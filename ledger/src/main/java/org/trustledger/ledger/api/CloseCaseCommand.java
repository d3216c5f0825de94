package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
/** Close a case; only its assigned arbitrator. */
public record CloseCaseCommand(@TargetAggregateIdentifier String caseId, String arbitratorId, String resolution) {
}
