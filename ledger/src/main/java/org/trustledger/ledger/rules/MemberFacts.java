package org.trustledger.ledger.rules;

import java.time.LocalDate;
import java.util.List;

/**
 * What the ledger knows about a member that the points rules read: raw facts, nothing derived.
 *
 * @param dateOfBirth            the member's date of birth
 * @param countedAwards          points of every non-voided assurance received (TTP ones included)
 * @param grantedAssurancePoints AP granted outside assurances: genesis, plus arbitration adjustments (may be negative)
 * @param grantedExperiencePoints EP granted outside assurances: genesis, plus arbitration adjustments
 * @param faceToFaceAssurancesGiven non-voided face-to-face assurances this member gave as an Assurer
 * @param challengePassed        the Assurer Challenge was passed
 * @param blockedAsAssurer       an arbitration ruling blocks the member as assurer
 * @param parentalConsent        a parental consent is recorded (needed under 18)
 * @param verifiedEmail          at least one email address is verified
 * @param verifiedDomain         at least one domain is verified
 * @param codeSigningEnabled     support enabled code signing for the member
 */
public record MemberFacts(LocalDate dateOfBirth, List<Integer> countedAwards, int grantedAssurancePoints,
                          int grantedExperiencePoints, int faceToFaceAssurancesGiven, boolean challengePassed,
                          boolean blockedAsAssurer, boolean parentalConsent, boolean verifiedEmail,
                          boolean verifiedDomain, boolean codeSigningEnabled) {

    public MemberFacts {
        countedAwards = List.copyOf(countedAwards);
    }
}
