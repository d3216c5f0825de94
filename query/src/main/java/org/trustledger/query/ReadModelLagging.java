package org.trustledger.query;

/** The read model has not applied a member's latest ledger event in time: retry shortly. */
public class ReadModelLagging extends RuntimeException {

    public ReadModelLagging(String message) {
        super(message);
    }
}
