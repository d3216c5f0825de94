package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The organisation proved control of the domain. */
@Revision("1")
public record OrganisationDomainVerified(String organisationId, String domain, String approverEmail,
                                         Instant verifiedAt) {
}
