package org.trustledger.issuance.api;

/**
 * RFC 5280 CRLReason values a member's certificate can be revoked for. {@code certificateHold} is not
 * offered: revocation here is final. CA-level reasons (cACompromise, aACompromise) do not apply to
 * end-entity certificates.
 */
public enum RevocationReason {
    UNSPECIFIED(0), KEY_COMPROMISE(1), AFFILIATION_CHANGED(3), SUPERSEDED(4), CESSATION_OF_OPERATION(5),
    PRIVILEGE_WITHDRAWN(9);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The CRLReason code written into CRLs and OCSP responses. */
    public int code() {
        return code;
    }
}
