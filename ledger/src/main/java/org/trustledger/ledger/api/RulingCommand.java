package org.trustledger.ledger.api;


/** A ruling in a case by its assigned arbitrator: one remedy of DOMAIN.md section 6. */
public record RulingCommand(String caseId, String arbitratorId, Ruling ruling) {
}
