package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A ruling, in the case's stream: what was ruled, on whom, by whom and why. */
@Revision("1")
public record RulingMade(String caseId, String arbitratorId, String remedy, String subjectId, String detail, String reason,
                         Instant madeAt) {
}
