package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Ask to prove control of a domain: a token is mailed to {@code approver}@domain, where approver is
 * one of root, hostmaster, postmaster, admin or webmaster (DOMAIN.md section 7).
 */
public record AddDomainCommand(@TargetAggregateIdentifier String memberId, String domain, String approver) {
}
