package org.trustledger.ledger.rules;

import java.time.LocalDate;
import java.time.Period;
import java.util.Collection;
import org.trustledger.ledger.api.MemberStatus;

/**
 * The numbers of DOMAIN.md, each a rule. Pure functions: the caller passes the facts and the day.
 */
public final class PointsRules {

    public static final int MAX_ASSURANCE_POINTS = 100;
    public static final int ASSURED_MEMBER_POINTS = 50;
    public static final int MAX_EXPERIENCE_POINTS = 50;
    public static final int JUNIOR_MAX_EXPERIENCE_POINTS = 10;
    public static final int EXPERIENCE_POINTS_PER_ASSURANCE = 2;
    public static final int MAX_POINTS_PER_ASSURANCE = 35;
    public static final int JUNIOR_ASSURER_MAX_AWARD = 10;
    public static final int MIN_ASSURER_AGE = 14;
    public static final int ADULT_AGE = 18;
    public static final int CHALLENGE_PASS_MARK_PERCENT = 80;
    public static final int MAX_TTP_ASSURANCES = 2;
    public static final int CLASS1_VALIDITY_DAYS = 180;
    public static final int ASSURED_VALIDITY_DAYS = 730;

    private PointsRules() {
    }

    /** Age in whole years on the given day; 0 when the date of birth was cleared (a deleted account). */
    public static int age(LocalDate dateOfBirth, LocalDate on) {
        return dateOfBirth == null ? 0 : Math.max(0, Period.between(dateOfBirth, on).getYears());
    }

    /**
     * AP = the points of every non-voided assurance plus grants (genesis, arbitration adjustments),
     * within 0..100.
     */
    public static int assurancePoints(Collection<Integer> countedAwards, int granted) {
        long sum = granted;
        for (int p : countedAwards) {
            sum += p;
        }
        return (int) Math.max(0, Math.min(MAX_ASSURANCE_POINTS, sum));
    }

    /** What a new award adds to the assuree's AP, given their AP before it: the record keeps both. */
    public static int countedPoints(int awarded, int assurancePointsBefore) {
        return Math.max(0, Math.min(awarded, MAX_ASSURANCE_POINTS - assurancePointsBefore));
    }

    /**
     * EP: 2 per non-voided face-to-face assurance given as an Assurer, capped at 50 (10 under 18, 0 under
     * 14), and on hold (0) while the member's own AP is below 100.
     */
    public static int experiencePoints(int assurancesGiven, int granted, int assurancePoints, int age) {
        if (age < MIN_ASSURER_AGE || assurancePoints < MAX_ASSURANCE_POINTS) {
            return 0;
        }
        int cap = age < ADULT_AGE ? JUNIOR_MAX_EXPERIENCE_POINTS : MAX_EXPERIENCE_POINTS;
        long earned = (long) granted + (long) EXPERIENCE_POINTS_PER_ASSURANCE * assurancesGiven;
        return (int) Math.max(0, Math.min(cap, earned));
    }

    /** The most an Assurer may award, by EP (10 per step of 10 EP from 10 to 35); a Junior Assurer 10. */
    public static int maxAward(int experiencePoints, int age) {
        if (age < ADULT_AGE) {
            return JUNIOR_ASSURER_MAX_AWARD;
        }
        int steps = Math.min(5, Math.max(0, experiencePoints) / 10);
        return 10 + 5 * steps;
    }

    /** Whether an under-18 member lacks the parental consent their status needs. */
    private static boolean consentMissing(MemberFacts facts, int age) {
        return age < ADULT_AGE && !facts.parentalConsent();
    }

    /**
     * The reason the member is not an Assurer right now, in the order DOMAIN.md lists the conditions,
     * or {@code null} when they are one.
     */
    public static AssurerGap assurerGap(MemberFacts facts, LocalDate on) {
        int age = age(facts.dateOfBirth(), on);
        int ap = assurancePoints(facts.countedAwards(), facts.grantedAssurancePoints());
        if (ap < MAX_ASSURANCE_POINTS) {
            return AssurerGap.AP_BELOW_100;
        }
        if (!facts.challengePassed()) {
            return AssurerGap.CHALLENGE_NOT_PASSED;
        }
        if (facts.blockedAsAssurer()) {
            return AssurerGap.BLOCKED;
        }
        if (age < MIN_ASSURER_AGE) {
            return AssurerGap.UNDER_14;
        }
        if (consentMissing(facts, age)) {
            return AssurerGap.PARENTAL_CONSENT_MISSING;
        }
        return null;
    }

    /** Why a member is not an Assurer. */
    public enum AssurerGap {
        AP_BELOW_100, CHALLENGE_NOT_PASSED, BLOCKED, UNDER_14, PARENTAL_CONSENT_MISSING
    }

    /** Everything derived about a member on the given day. */
    public static Standing standing(MemberFacts facts, LocalDate on) {
        int age = age(facts.dateOfBirth(), on);
        int ap = assurancePoints(facts.countedAwards(), facts.grantedAssurancePoints());
        int ep = experiencePoints(facts.faceToFaceAssurancesGiven(), facts.grantedExperiencePoints(), ap, age);
        boolean assurer = assurerGap(facts, on) == null;
        boolean assured = ap >= ASSURED_MEMBER_POINTS && !consentMissing(facts, age);
        MemberStatus status;
        if (assurer && ep >= MAX_EXPERIENCE_POINTS) {
            status = MemberStatus.SENIOR_ASSURER;
        } else if (assurer) {
            status = MemberStatus.ASSURER;
        } else if (assured) {
            status = MemberStatus.ASSURED_MEMBER;
        } else {
            status = MemberStatus.MEMBER;
        }
        int maxAward = assurer ? maxAward(ep, age) : 0;
        return new Standing(ap, ep, ap + ep, status, assurer, maxAward, age, rights(facts, assured, assurer));
    }

    /** DOMAIN.md section 7. */
    static IssuanceRights rights(MemberFacts facts, boolean assured, boolean assurer) {
        boolean client = facts.verifiedEmail();
        boolean server = facts.verifiedDomain();
        boolean nameInCert = assured && client;
        boolean codeSigning = assurer && facts.codeSigningEnabled();
        boolean any = client || server || codeSigning;
        int validity = !any ? 0 : (assured ? ASSURED_VALIDITY_DAYS : CLASS1_VALIDITY_DAYS);
        return new IssuanceRights(client, server, nameInCert, assured && any, assured && server,
                assured && server, assured, codeSigning, false, validity);
    }
}
