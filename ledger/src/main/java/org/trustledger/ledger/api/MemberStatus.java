package org.trustledger.ledger.api;

/** The only thing other members may see of a member (DOMAIN.md section 1). */
public enum MemberStatus {
    MEMBER, ASSURED_MEMBER, ASSURER, SENIOR_ASSURER
}
