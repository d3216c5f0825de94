package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A passphrase recovery began: three of the five security questions were drawn at random. */
@Revision("1")
public record RecoveryStarted(String memberId, String recoveryId, java.util.List<Integer> questionIndexes, Instant startedAt, Instant expiresAt) {
}
