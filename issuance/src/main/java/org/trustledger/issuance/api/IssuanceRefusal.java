package org.trustledger.issuance.api;

/** A request the issuance rules refuse, with a stable code and a message saying what was wrong. */
public class IssuanceRefusal extends RuntimeException {

    private final IssuanceRefusalCode code;

    public IssuanceRefusal(IssuanceRefusalCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public IssuanceRefusalCode code() {
        return code;
    }
}
