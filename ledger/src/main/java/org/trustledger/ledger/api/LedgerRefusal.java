package org.trustledger.ledger.api;

/**
 * A business refusal: the request broke a rule of the ledger. Thrown by command handlers before any
 * event is applied, so nothing already recorded changes; turned into a payload {@code error} at the
 * GraphQL edge.
 */
public class LedgerRefusal extends RuntimeException {

    private final RefusalCode code;

    public LedgerRefusal(RefusalCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public RefusalCode code() {
        return code;
    }
}
