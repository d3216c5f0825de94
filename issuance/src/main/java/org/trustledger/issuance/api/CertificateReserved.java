package org.trustledger.issuance.api;

import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * Everything that will be signed, recorded before signing (as Boulder does): the serial is taken and
 * never reused; the to-be-signed certificate passed every lint rule and its SHA-256 is
 * {@code tbsSha256}; the signature must reproduce exactly these bytes.
 *
 * @param subject      the subject DN as RFC 4514 text
 * @param subjectAltNames {@code dns:host} and {@code email:address} entries
 * @param publicKey    the SubjectPublicKeyInfo, base64 DER
 * @param rights       the issuance rights this certificate relies on (names as in IssuanceRights)
 * @param ledgerSequence the member's last ledger event the rights were read at
 */
@Revision("1")
public record CertificateReserved(String requestId, String memberId, String serial, CertificateKind kind, CaId issuer,
                                  String subject, List<String> subjectAltNames, String publicKey, Instant notBefore,
                                  Instant notAfter, String signatureHash, List<String> rights, long ledgerSequence,
                                  String organisationId, String tbsSha256, Instant reservedAt) {
}
