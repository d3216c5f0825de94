package org.trustledger.issuance;

import java.time.Instant;
import java.util.List;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.api.RevocationReason;

/**
 * A certificate as the register knows it. {@code pem} and {@code sha256Fingerprint} are null while only
 * reserved; {@code rights} and {@code ledgerSequence} are what justified it: the issuance rights it
 * relies on and the member's last ledger event they were read at.
 */
public record CertificateView(String serial, String requestId, String memberId, CertificateKind kind, CaId issuer,
                              String subject, List<String> subjectAltNames, Instant notBefore, Instant notAfter,
                              String pem, String sha256Fingerprint, Instant issuedAt, Instant revokedAt,
                              RevocationReason revocationReason, List<String> rights,
                              long ledgerSequence, String organisationId) {

    public enum Status { RESERVED, VALID, REVOKED, EXPIRED }

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        if (pem == null) {
            return Status.RESERVED;
        }
        return now.isAfter(notAfter) ? Status.EXPIRED : Status.VALID;
    }
}
