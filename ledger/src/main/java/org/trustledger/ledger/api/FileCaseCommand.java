package org.trustledger.ledger.api;


/** File an arbitration case (DOMAIN.md section 6); answers the case id, like a20261123.1. */
public record FileCaseCommand(String claimantId, String respondentId, String relief, String filedBy) {
}
