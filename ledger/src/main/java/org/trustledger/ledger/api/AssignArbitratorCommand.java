package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
/** Assign an Arbitrator to a case; by Support. */
public record AssignArbitratorCommand(@TargetAggregateIdentifier String caseId, String arbitratorId, String assignedBy) {
}
