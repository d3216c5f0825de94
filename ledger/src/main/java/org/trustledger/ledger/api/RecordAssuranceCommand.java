package org.trustledger.ledger.api;

import java.time.LocalDate;
import java.util.List;

/** A face-to-face assurance as written on the CAP form; the assuree is named by email and date of birth. */
public record RecordAssuranceCommand(String assuranceId, String assurerId, String assureeEmail,
                                     LocalDate assureeDateOfBirth, LocalDate date, String location, int points,
                                     List<String> documents, boolean assureeAgreedToCommunityAgreement,
                                     boolean assurerSawOriginalDocuments) {
}
