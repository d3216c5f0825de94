package org.trustledger.ledger.api;

/** Present the token mailed to the domain's approver address. Returns the member id. */
public record VerifyDomainCommand(String token) {
}
