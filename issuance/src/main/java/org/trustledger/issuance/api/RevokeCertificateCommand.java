package org.trustledger.issuance.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Revoke an issued certificate: by its owner, by support, or by an arbitration ruling
 * ({@code caseId} set, {@code requestedBy} the arbitrator).
 */
public record RevokeCertificateCommand(@TargetAggregateIdentifier String requestId, RevocationReason reason,
                                       String requestedBy, String caseId) {
}
