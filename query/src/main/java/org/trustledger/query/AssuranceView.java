package org.trustledger.query;

import java.time.Instant;
import java.time.LocalDate;
import org.trustledger.ledger.api.AssuranceKind;

/** One assurance: awarded and counted points kept apart, as recorded; {@code voidedBy} names the case. */
public record AssuranceView(String id, String assureeId, String assurerId, AssuranceKind kind, int points,
                            int counted, LocalDate date, String location, Instant recordedAt, boolean voided,
                            String voidedBy) {
}
