package org.trustledger.issuance.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An issued certificate was revoked; the next CRL and every OCSP response say so from now on. */
@Revision("1")
public record CertificateRevoked(String requestId, String memberId, String serial, CaId issuer,
                                 RevocationReason reason, String revokedBy, String caseId, Instant revokedAt) {
}
