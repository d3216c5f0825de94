package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A member became (or stopped being) an administrator of the organisation. */
@Revision("1")
public record OrganisationAdminChanged(String organisationId, String memberId, boolean admin, String changedBy,
                                       Instant changedAt) {
}
