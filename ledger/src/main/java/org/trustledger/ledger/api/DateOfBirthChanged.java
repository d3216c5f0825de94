package org.trustledger.ledger.api;

import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/** The member's date of birth was corrected: by an arbitration ruling (caseId set) or by the member while at 0 AP (caseId null). */
@Revision("1")
public record DateOfBirthChanged(String caseId, String memberId, LocalDate dateOfBirth, String reason, Instant changedAt) {
}
