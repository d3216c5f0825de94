package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A domain control token for the organisation was sent to {@code approverEmail}. */
@Revision("1")
public record OrganisationDomainControlRequested(String organisationId, String domain, String approverEmail,
                                                 String nonce, String requestedBy, Instant requestedAt,
                                                 Instant expiresAt) {
}
