package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Ruling effect: the member was blocked (or unblocked) as assurer. */
@Revision("1")
public record AssurerBlockChanged(String caseId, String memberId, boolean blocked, String reason, Instant changedAt) {
}
