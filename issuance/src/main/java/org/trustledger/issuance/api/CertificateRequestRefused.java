package org.trustledger.issuance.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A request was refused before anything was reserved or signed. */
@Revision("1")
public record CertificateRequestRefused(String requestId, String memberId, CertificateKind kind,
                                        IssuanceRefusalCode code, String reason, Instant refusedAt) {
}
