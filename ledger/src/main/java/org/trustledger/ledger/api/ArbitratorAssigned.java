package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An Arbitrator was assigned to the case. */
@Revision("1")
public record ArbitratorAssigned(String caseId, String arbitratorId, String assignedBy, Instant assignedAt) {
}
