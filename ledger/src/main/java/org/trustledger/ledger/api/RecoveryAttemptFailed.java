package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A recovery attempt failed (wrong date of birth or answers); recorded, never the answers themselves. */
@Revision("1")
public record RecoveryAttemptFailed(String memberId, String recoveryId, String reason, Instant failedAt) {
}
