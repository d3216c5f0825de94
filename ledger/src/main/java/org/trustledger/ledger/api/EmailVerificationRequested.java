package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A token was issued for an email address; the mailed token is derived from this nonce with the server's secret. */
@Revision("1")
public record EmailVerificationRequested(String memberId, String email, String nonce, Instant requestedAt, Instant expiresAt) {
}
