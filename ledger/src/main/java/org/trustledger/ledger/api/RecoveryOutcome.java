package org.trustledger.ledger.api;

import java.util.List;

/**
 * What a recovery step answers. Failures are recorded as events, so they are returned rather than
 * thrown (a thrown refusal would roll the record back).
 *
 * @param questions the three questions to answer (step 1), in order; empty otherwise
 * @param memberId  the member whose passphrase was reset (step 2 success); null otherwise
 */
public record RecoveryOutcome(boolean ok, List<String> questions, String memberId, RefusalCode refusalCode,
                              String message) {

    public static RecoveryOutcome failed(RefusalCode code, String message) {
        return new RecoveryOutcome(false, List.of(), null, code, message);
    }
}
