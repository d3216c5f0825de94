package org.trustledger.issuance.api;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Ask for a certificate. Exactly one of {@code csrPem} (PKCS#10) or {@code publicKeyPem}
 * (SubjectPublicKeyInfo) carries the key; {@code names} are email addresses (client, code signing) or
 * host names (server); null fields take the defaults of the kind. Organisation kinds name the
 * organisation, and may name an organisational unit (OU).
 */
public record RequestCertificateCommand(@TargetAggregateIdentifier String requestId, String memberId,
                                        CertificateKind kind, String csrPem, String publicKeyPem, List<String> names,
                                        NameVariant nameVariant, CaId root, Integer validityDays,
                                        String signatureHash, String organisationId, String organisationalUnit,
                                        String requestedBy) {
}
