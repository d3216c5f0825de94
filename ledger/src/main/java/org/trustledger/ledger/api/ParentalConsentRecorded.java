package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A parental consent for an under-18 member was recorded (DOMAIN.md section 5). */
@Revision("1")
public record ParentalConsentRecorded(String memberId, String guardianName, String recordedBy, Instant recordedAt) {
}
