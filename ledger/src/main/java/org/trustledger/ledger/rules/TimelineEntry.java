package org.trustledger.ledger.rules;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One change to a member's facts, as the history keeps it: what happened, when, and whether it is an
 * arbitration ruling (rulings are what the AS_CORRECTED view applies retroactively).
 *
 * @param assuranceId for awards, assurances given and voids
 * @param points      for awards
 * @param faceToFace  for awards and assurances given: whether the assurance was face to face
 * @param apDelta     for grants and adjustments
 * @param epDelta     for grants and adjustments
 * @param flag        for blocks (blocked or not), code signing (enabled or not) and grants (challenge passed)
 * @param dateOfBirth for registrations and corrections (null when cleared by a deletion)
 */
public record TimelineEntry(Change change, Instant at, boolean ruling, String assuranceId, int points,
                            boolean faceToFace, int apDelta, int epDelta, boolean flag, LocalDate dateOfBirth) {

    /** The kinds of change the points rules care about. */
    public enum Change {
        REGISTERED, EMAIL_VERIFIED, GRANTED, CHALLENGE_PASSED, AWARD_RECEIVED, ASSURANCE_GIVEN, VOIDED, ADJUSTED,
        BLOCK_CHANGED, LOCKED, DATE_OF_BIRTH_CHANGED, PARENTAL_CONSENT, CODE_SIGNING_CHANGED, DELETED, OTHER
    }
}
