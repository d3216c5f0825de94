package org.trustledger.ledger.api;

/** Add another email address to a member's account; it must be verified like the first. */
public record AddEmailCommand(String memberId, String email) {
}
