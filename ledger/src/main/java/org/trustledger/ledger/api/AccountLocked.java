package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Ruling effect: the account was locked. */
@Revision("1")
public record AccountLocked(String caseId, String memberId, String reason, Instant lockedAt) {
}
