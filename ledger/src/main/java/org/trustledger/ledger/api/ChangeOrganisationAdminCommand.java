package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An Organisation Assurer makes a member an administrator of the organisation, or no longer one. */
public record ChangeOrganisationAdminCommand(@TargetAggregateIdentifier String organisationId, String memberId,
                                             boolean admin, String changedBy) {
}
