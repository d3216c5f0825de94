package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Ruling effect: the member's points were adjusted. */
@Revision("1")
public record PointsAdjusted(String caseId, String memberId, int assurancePointsDelta, int experiencePointsDelta, String reason,
                             Instant adjustedAt) {
}
