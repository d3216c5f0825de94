package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The member proved control of the domain through the token mailed to {@code approverEmail}. */
@Revision("1")
public record DomainVerified(String memberId, String domain, String approverEmail, Instant verifiedAt) {
}
