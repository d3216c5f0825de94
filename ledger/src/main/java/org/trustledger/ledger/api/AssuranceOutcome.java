package org.trustledger.ledger.api;

/**
 * The answer to {@link RecordAssuranceCommand}: the recorded assurance's id and its assuree, or the
 * recorded refusal.
 */
public record AssuranceOutcome(String assuranceId, String assureeId, RefusalCode refusalCode, String refusalMessage) {

    public static AssuranceOutcome recorded(String assuranceId, String assureeId) {
        return new AssuranceOutcome(assuranceId, assureeId, null, null);
    }

    public static AssuranceOutcome refused(LedgerRefusal refusal) {
        return new AssuranceOutcome(null, null, refusal.code(), refusal.getMessage());
    }

    public boolean isRecorded() {
        return refusalCode == null;
    }
}
