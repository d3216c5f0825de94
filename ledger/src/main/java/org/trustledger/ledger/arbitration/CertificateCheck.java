package org.trustledger.ledger.arbitration;

import java.time.Instant;
import java.util.List;

/**
 * What the issuance side knows of a member's certificates; asked before an account is deleted
 * (DOMAIN.md section 6: refused while any certificate is valid, or expired or was revoked less than
 * 90 days ago). Implemented by the issuance module.
 */
public interface CertificateCheck {

    List<CertificateStatus> certificatesOf(String memberId);

    /** One certificate's validity end and, if revoked, when. */
    record CertificateStatus(String serial, Instant notAfter, Instant revokedAt) {
    }
}
