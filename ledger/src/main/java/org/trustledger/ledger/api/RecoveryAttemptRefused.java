package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A recovery attempt on this account refused without being checked: recovery was locked or paused, or
 * the recovery had expired or been replaced. Recorded so that every attempt is on file; counts toward
 * nothing.
 */
@Revision("1")
public record RecoveryAttemptRefused(String memberId, String attemptId, String reason, Instant refusedAt) {
}
