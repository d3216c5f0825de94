package org.trustledger.ledger.rules;

import org.trustledger.ledger.api.MemberStatus;

/**
 * A member's points, status and rights at one moment, as the rules derive them from {@link MemberFacts}.
 *
 * @param maxAssurancePoints the most this member may award in one assurance now (0 when not an Assurer)
 */
public record Standing(int assurancePoints, int experiencePoints, int total, MemberStatus status, boolean assurer,
                       int maxAssurancePoints, int age, IssuanceRights rights) {
}
