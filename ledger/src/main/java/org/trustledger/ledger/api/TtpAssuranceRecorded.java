package org.trustledger.ledger.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * A TTP-assisted assurance or a top-up (DOMAIN.md section 3), in the assuree's stream only: it earns
 * the recording member no experience points. A top-up has no TTP ({@code ttp} null).
 *
 * <p>Revision 2. Revision 1 carried the TTP as three loose fields ({@code ttpName}, {@code ttpKind},
 * {@code country}, all null for a top-up); {@link org.trustledger.ledger.upcasting.LedgerUpcasters}
 * turns stored revision-1 events into this shape when they are read.
 */
@Revision("2")
public record TtpAssuranceRecorded(String assuranceId, String assureeId, String recordedBy, AssuranceKind kind,
                                   int points, int counted, TrustedThirdParty ttp, LocalDate date,
                                   List<String> documents, Instant recordedAt) {
}
