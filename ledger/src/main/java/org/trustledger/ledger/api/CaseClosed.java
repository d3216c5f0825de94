package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The case was closed by its arbitrator. */
@Revision("1")
public record CaseClosed(String caseId, String arbitratorId, String resolution, Instant closedAt) {
}
