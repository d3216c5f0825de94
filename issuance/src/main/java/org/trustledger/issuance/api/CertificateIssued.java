package org.trustledger.issuance.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The reserved certificate was signed: its PEM and SHA-256 fingerprint (hex, upper case). */
@Revision("1")
public record CertificateIssued(String requestId, String memberId, String serial, CaId issuer, String pem,
                                String sha256Fingerprint, Instant issuedAt) {
}
