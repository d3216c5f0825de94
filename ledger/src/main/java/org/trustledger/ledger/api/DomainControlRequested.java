package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A domain control token was sent to {@code approverEmail}; it must come back before {@code expiresAt}. */
@Revision("1")
public record DomainControlRequested(String memberId, String domain, String approverEmail, String nonce,
                                     Instant requestedAt, Instant expiresAt) {
}
