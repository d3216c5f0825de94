package org.trustledger.ledger.api;

/** A security question with its answer stored only as a slow salted hash of the normalised answer. */
public record SecurityQuestion(String question, String answerHash) {
}
