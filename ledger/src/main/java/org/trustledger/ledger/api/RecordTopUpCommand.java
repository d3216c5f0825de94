package org.trustledger.ledger.api;

import java.time.LocalDate;

/** The one top-up assurance after two TTP assurances and a passed challenge, by an independent Senior Assurer. */
public record RecordTopUpCommand(String assuranceId, String seniorAssurerId, String assureeEmail,
                                 LocalDate assureeDateOfBirth, LocalDate date, int points) {
}
