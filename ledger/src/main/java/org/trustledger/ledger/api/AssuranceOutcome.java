package org.trustledger.ledger.api;

/** The answer to {@link RecordAssuranceCommand}: the recorded assurance's id, or the recorded refusal. */
public record AssuranceOutcome(String assuranceId, RefusalCode refusalCode, String refusalMessage) {

    public static AssuranceOutcome recorded(String assuranceId) {
        return new AssuranceOutcome(assuranceId, null, null);
    }

    public static AssuranceOutcome refused(LedgerRefusal refusal) {
        return new AssuranceOutcome(null, refusal.code(), refusal.getMessage());
    }

    public boolean isRecorded() {
        return refusalCode == null;
    }
}
