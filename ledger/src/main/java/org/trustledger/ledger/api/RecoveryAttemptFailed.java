package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A recovery's answers were not all correct (recorded, never the answers themselves); three lock recovery.
 * Events recorded before {@link RecoveryIdentificationFailed} existed also stand for a wrong date of birth,
 * and counted toward the lock as they did then.
 */
@Revision("1")
public record RecoveryAttemptFailed(String memberId, String recoveryId, String reason, Instant failedAt) {
}
