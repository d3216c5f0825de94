package org.trustledger.ledger.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * A TTP-assisted assurance or a top-up (DOMAIN.md section 3), in the assuree's stream only: it earns
 * the recording member no experience points. For a top-up the TTP fields are null.
 */
@Revision("1")
public record TtpAssuranceRecorded(String assuranceId, String assureeId, String recordedBy, AssuranceKind kind,
                                   int points, int counted, String ttpName, String ttpKind, String country,
                                   LocalDate date, List<String> documents, Instant recordedAt) {
}
