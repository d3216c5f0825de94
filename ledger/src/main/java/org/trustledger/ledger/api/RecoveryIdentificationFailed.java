package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A passphrase recovery was asked for this account with details that do not allow it (a wrong date of
 * birth, an address that is not the primary one, or an account that cannot recover). Counted toward a
 * {@link RecoveryHeld} pause, never toward the lasting {@link RecoveryLocked}: knowing an address must
 * not be enough to lock its owner out.
 */
@Revision("1")
public record RecoveryIdentificationFailed(String memberId, String attemptId, Instant failedAt) {
}
