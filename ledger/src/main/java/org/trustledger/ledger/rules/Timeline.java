package org.trustledger.ledger.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A member's facts as of an instant, folded from their history (DOMAIN.md section 6):
 * <ul>
 *   <li>{@link View#AS_RECORDED}: what the ledger said at that instant; rulings made later are ignored.</li>
 *   <li>{@link View#AS_CORRECTED}: every ruling known now applied retroactively (a voided assurance never
 *       counted, a corrected date of birth was always the right one), other changes as of the instant.</li>
 * </ul>
 */
public final class Timeline {

    /** The two views of history. */
    public enum View {
        AS_RECORDED, AS_CORRECTED
    }

    private Timeline() {
    }

    /** The facts at {@code at} in the given view; entries must be in the order they happened. */
    public static MemberFacts factsAsOf(List<TimelineEntry> entries, Instant at, View view) {
        List<TimelineEntry> included = new ArrayList<>();
        for (TimelineEntry e : entries) {
            if (!e.at().isAfter(at) || (view == View.AS_CORRECTED && e.ruling())) {
                included.add(e);
            }
        }
        return fold(included);
    }

    /** The standing at {@code at} in the given view. */
    public static Standing standingAsOf(List<TimelineEntry> entries, Instant at, View view) {
        return PointsRules.standing(factsAsOf(entries, at, view), LocalDate.ofInstant(at, ZoneOffset.UTC));
    }

    /** The facts after every given entry, in order. */
    public static MemberFacts fold(List<TimelineEntry> entries) {
        LocalDate dob = null;
        Map<String, Integer> awards = new LinkedHashMap<>();
        Set<String> given = new HashSet<>();
        Set<String> voided = new HashSet<>();
        int grantedAp = 0;
        int grantedEp = 0;
        boolean challenge = false;
        boolean blocked = false;
        boolean consent = false;
        boolean verified = false;
        boolean codeSigning = false;
        for (TimelineEntry e : entries) {
            switch (e.change()) {
                case REGISTERED, DATE_OF_BIRTH_CHANGED -> dob = e.dateOfBirth();
                case DELETED -> dob = null;
                case EMAIL_VERIFIED -> verified = true;
                case GRANTED -> {
                    grantedAp += e.apDelta();
                    grantedEp += e.epDelta();
                    challenge = challenge || e.flag();
                }
                case ADJUSTED -> {
                    grantedAp += e.apDelta();
                    grantedEp += e.epDelta();
                }
                case CHALLENGE_PASSED -> challenge = true;
                case AWARD_RECEIVED -> awards.put(e.assuranceId(), e.points());
                case ASSURANCE_GIVEN -> {
                    if (e.faceToFace()) {
                        given.add(e.assuranceId());
                    }
                }
                case VOIDED -> voided.add(e.assuranceId());
                case BLOCK_CHANGED -> blocked = e.flag();
                case PARENTAL_CONSENT -> consent = true;
                case CODE_SIGNING_CHANGED -> codeSigning = e.flag();
                case LOCKED, OTHER -> {
                    // no effect on points
                }
                default -> throw new IllegalArgumentException("Unknown change " + e.change());
            }
        }
        List<Integer> counting = new ArrayList<>();
        awards.forEach((id, points) -> {
            if (!voided.contains(id)) {
                counting.add(points);
            }
        });
        given.removeAll(voided);
        return new MemberFacts(dob, counting, grantedAp, grantedEp, given.size(), challenge, blocked, consent, verified,
                false, codeSigning);
    }
}
