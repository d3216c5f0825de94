package org.trustledger.issuance.api;

/** What a certificate is for (DOMAIN.md section 7); each kind has its own EKU and rules. */
public enum CertificateKind {
    /** S/MIME and client authentication, for verified email addresses. */
    CLIENT,
    /** TLS server, for host names under verified domains. */
    SERVER,
    /** Code signing, for Assurers whom support enabled. */
    CODE_SIGNING,
    /** An organisation's client certificate (O, OU, L, ST, C). */
    ORGANISATION_CLIENT,
    /** An organisation's server certificate (O, OU, L, ST, C). */
    ORGANISATION_SERVER
}
