package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Recovery succeeded: the passphrase was replaced (stored as a hash only). */
@Revision("1")
public record PassphraseReset(String memberId, String recoveryId, String passphraseHash, Instant resetAt) {
}
