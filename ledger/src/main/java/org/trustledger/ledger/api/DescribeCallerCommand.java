package org.trustledger.ledger.api;

/** Who a logged-in member is right now (roles, Assurer standing), from the ledger itself. Records nothing. */
public record DescribeCallerCommand(String memberId) {
}
