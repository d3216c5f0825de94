package org.trustledger.ledger.api;

/** Present the token mailed for an organisation's domain. Returns the organisation id. */
public record VerifyOrganisationDomainCommand(String token) {
}
