package org.trustledger.ledger.api;

import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/** Ruling effect: certificates are to be revoked (carried out by issuance); no serials means all that lost their backing. */
@Revision("1")
public record CertificateRevocationOrdered(String caseId, String memberId, List<String> serials, String reason, Instant orderedAt) {
}
