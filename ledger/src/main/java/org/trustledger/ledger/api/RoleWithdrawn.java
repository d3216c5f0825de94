package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A member's role was withdrawn. */
@Revision("1")
public record RoleWithdrawn(String memberId, Role role, String withdrawnBy, String reason, Instant withdrawnAt) {
}
