package org.trustledger.ledger.api;

import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/** The member passed the Assurer Challenge. */
@Revision("1")
public record AssurerChallengePassed(String memberId, int scorePercent, LocalDate passedOn, String recordedBy, Instant recordedAt) {
}
