package org.trustledger.issuance.ca;

import java.net.URI;
import java.nio.file.Path;

/**
 * How the CA is set up.
 *
 * @param keyDirectory  where the encrypted PKCS#12 key store lives
 * @param passphrase    protects the key store
 * @param keyAlgorithm  for newly generated CA keys: {@code EC-P384} (default), {@code EC-P256},
 *                      {@code RSA-4096} or {@code RSA-2048} (the smallest the CA/Browser Forum allows)
 * @param organisation  the O of the CA certificates' subjects
 * @param baseUrl       where this server is reachable: CRL, OCSP and CA certificate URLs are written
 *                      into every certificate under it
 */
public record CaSettings(Path keyDirectory, char[] passphrase, String keyAlgorithm, String organisation, URI baseUrl) {

    public CaSettings {
        keyAlgorithm = keyAlgorithm == null || keyAlgorithm.isBlank() ? "EC-P384" : keyAlgorithm;
        organisation = organisation == null || organisation.isBlank() ? "trust-ledger" : organisation;
        if (!java.util.Set.of("EC-P384", "EC-P256", "RSA-4096", "RSA-2048").contains(keyAlgorithm)) {
            throw new IllegalArgumentException("trustledger.issuance.key-algorithm must be EC-P384, EC-P256, RSA-4096 or"
                    + " RSA-2048, not " + keyAlgorithm);
        }
        String url = baseUrl.toString();
        if (url.endsWith("/")) {
            baseUrl = URI.create(url.substring(0, url.length() - 1));
        }
    }

    /** The CA-level CRL: revoked CA certificates (the distribution point of the intermediate). */
    public String crlUrl(org.trustledger.issuance.api.CaId ca) {
        return baseUrl + "/crl/" + ca.slug() + ".crl";
    }

    /** One shard of the CA's CRL of members' certificates ({@link org.trustledger.issuance.status.CrlShards}). */
    public String crlUrl(org.trustledger.issuance.api.CaId ca, int shard) {
        return baseUrl + "/crl/" + ca.slug() + "-" + shard + ".crl";
    }

    public String ocspUrl(org.trustledger.issuance.api.CaId ca) {
        return baseUrl + "/ocsp/" + ca.slug();
    }

    public String caCertificateUrl(org.trustledger.issuance.api.CaId ca) {
        return baseUrl + "/ca/" + ca.slug() + ".der";
    }
}
