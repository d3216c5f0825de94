package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Repeated failures locked passphrase recovery for this account; support is alerted. */
@Revision("1")
public record RecoveryLocked(String memberId, int failures, Instant lockedAt) {
}
