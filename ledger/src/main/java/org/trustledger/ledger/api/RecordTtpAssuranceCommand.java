package org.trustledger.ledger.api;

import java.time.LocalDate;
import java.util.List;

/** A TTP-assisted assurance recorded by a TTP admin on a Trusted Third Party's written confirmation. */
public record RecordTtpAssuranceCommand(String assuranceId, String adminId, String assureeEmail,
                                        LocalDate assureeDateOfBirth, String ttpName, String ttpKind, String country,
                                        LocalDate date, List<String> documents, int points) {
}
