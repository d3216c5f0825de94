package org.trustledger.ledger.api;

/** Lost passphrase, step 1 (DOMAIN.md section 1): primary email and exact date of birth. */
public record StartRecoveryCommand(String recoveryId, String email, java.time.LocalDate dateOfBirth) {
}
