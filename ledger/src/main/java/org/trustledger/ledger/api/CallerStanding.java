package org.trustledger.ledger.api;

import java.util.Set;

/** A member's appointed roles and derived standing as the ledger has them now; usable false when locked or deleted. */
public record CallerStanding(String memberId, boolean usable, Set<Role> roles, MemberStatus status) {
}
