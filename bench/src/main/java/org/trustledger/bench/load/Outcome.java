package org.trustledger.bench.load;

/**
 * What one request came back with. Only {@link #ok} requests count towards a rate: a refusal or an
 * error is an answer too, but a ledger that answered "refused" a thousand times a second has recorded
 * nothing. {@code code} keeps the refusal or error code so that a run that went wrong says why.
 */
record Outcome(boolean ok, boolean exhausted, String code) {

    static final Outcome OK = new Outcome(true, false, null);
    /** The client has nothing left to send (e.g. every assurer/assuree pair is used): its loop ends. */
    static final Outcome EXHAUSTED = new Outcome(false, true, "EXHAUSTED");

    static Outcome failed(String code) {
        return new Outcome(false, false, code);
    }
}
