package org.trustledger.ledger.rules;

/**
 * What the issuance step may sign for a member (DOMAIN.md section 7), derived from the ledger.
 *
 * @param maxValidityDays the longest validity of any certificate the member may get; 0 when none
 */
public record IssuanceRights(boolean clientCertificate, boolean serverCertificate, boolean nameInCertificate,
                             boolean class3Root, boolean multipleSubjectAltNames, boolean wildcardServerCertificate,
                             boolean openPgpKeySigning, boolean codeSigning, boolean organisationCertificates,
                             int maxValidityDays) {
}
