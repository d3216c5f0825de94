package org.trustledger.ledger.api;

/** A security question with the plain answer, as given at registration (never stored). */
public record SecurityQuestionAnswer(String question, String answer) {
}
