package org.trustledger.ledger.api;

/** Prove control of an email address with the token mailed to it; answers the member's id. */
public record VerifyEmailCommand(String token) {

    @Override
    public String toString() {
        return "VerifyEmailCommand[token=<hidden>]";
    }
}
