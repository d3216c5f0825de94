package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The member's name was corrected: by an arbitration ruling (caseId set) or by the member while at 0 AP (caseId null). */
@Revision("1")
public record NameChanged(String caseId, String memberId, PersonName name, String reason, Instant changedAt) {
}
