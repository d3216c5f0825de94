package org.trustledger.ledger.api;

/** Roles granted and withdrawn by events (DOMAIN.md section 5); Assurer and Senior Assurer are derived. */
public enum Role {
    TTP_ADMIN, ORGANISATION_ASSURER, ARBITRATOR, SUPPORT
}
