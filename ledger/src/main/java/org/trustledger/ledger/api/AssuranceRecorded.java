package org.trustledger.ledger.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.serialization.Revision;

/** An assurance, in the assuree's stream: the CAP form data, what was awarded and what counted. */
@Revision("1")
public record AssuranceRecorded(String assuranceId, String assureeId, String assurerId, AssuranceKind kind, int points,
                                int counted, LocalDate date, String location, String assureeName,
                                List<String> documents, boolean assureeAgreedToCommunityAgreement,
                                boolean assurerSawOriginalDocuments, Instant recordedAt) {
}
