package org.trustledger.ledger.api;

import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/** Ruling effect: the member's date of birth was corrected. */
@Revision("1")
public record DateOfBirthChanged(String caseId, String memberId, LocalDate dateOfBirth, String reason, Instant changedAt) {
}
