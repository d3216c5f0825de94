package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A member was appointed to a role by an authorised member. */
@Revision("1")
public record RoleAppointed(String memberId, Role role, String appointedBy, String reason, Instant appointedAt) {
}
