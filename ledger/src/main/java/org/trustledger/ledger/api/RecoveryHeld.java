package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * Recovery is paused for this account until {@code until} after repeated wrong details: every attempt
 * meanwhile is refused as if the details were wrong, so the date of birth cannot be guessed by trying.
 * Support is alerted.
 */
@Revision("1")
public record RecoveryHeld(String memberId, int failures, Instant heldAt, Instant until) {
}
