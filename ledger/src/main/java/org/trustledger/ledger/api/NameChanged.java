package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Ruling effect: the member's name was corrected. */
@Revision("1")
public record NameChanged(String caseId, String memberId, PersonName name, String reason, Instant changedAt) {
}
