package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An organisation's administrator asks to prove its control of a domain (token to approver@domain). */
public record AddOrganisationDomainCommand(@TargetAggregateIdentifier String organisationId, String domain,
                                           String approver, String requestedBy) {
}
