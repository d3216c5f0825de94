package org.trustledger.ledger.api;


/** Appoint a member to a role; the appointer must be Support (genesis founders may be given roles). */
public record AppointRoleCommand(String memberId, Role role, String appointedBy, String reason) {
}
