package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The member proved control of the email address. */
@Revision("1")
public record EmailVerified(String memberId, String email, Instant verifiedAt) {
}
