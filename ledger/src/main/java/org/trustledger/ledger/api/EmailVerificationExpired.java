package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An email was left unverified for 48 hours; if it was the primary one the account expired with it. */
@Revision("1")
public record EmailVerificationExpired(String memberId, String email, boolean accountExpired, Instant expiredAt) {
}
