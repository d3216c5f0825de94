package org.trustledger.ledger.api;

import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/** The same assurance in the assurer's stream, so the assurer's experience points are decided from their own history. */
@Revision("1")
public record AssuranceGiven(String assuranceId, String assurerId, String assureeId, AssuranceKind kind, int points,
                             LocalDate date, Instant recordedAt) {
}
