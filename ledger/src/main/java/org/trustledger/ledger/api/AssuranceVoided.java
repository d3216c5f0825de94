package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Ruling effect, in both the assuree's and the assurer's streams: the assurance no longer counts. */
@Revision("1")
public record AssuranceVoided(String caseId, String assuranceId, String assureeId, String assurerId, AssuranceKind kind,
                              String reason, Instant voidedAt) {
}
