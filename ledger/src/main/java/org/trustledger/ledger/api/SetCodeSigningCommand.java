package org.trustledger.ledger.api;

/** Support enables (or disables) code-signing certificates for a member (DOMAIN.md section 7). */
public record SetCodeSigningCommand(String memberId, boolean enabled, String setBy, String reason) {
}
