package org.trustledger.ledger.api;


/** Withdraw a role from a member; the withdrawer must be Support. */
public record WithdrawRoleCommand(String memberId, Role role, String withdrawnBy, String reason) {
}
