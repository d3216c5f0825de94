package org.trustledger.server.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Settings under {@code trustledger.*}; every one has a safe default so that {@code java -jar} works
 * with no configuration.
 *
 * @param dataDir            where the embedded store keeps its file (env TRUSTLEDGER_DATA_DIR)
 * @param devMode            exposes development-only views such as the outbox over GraphQL
 * @param genesis            founding assurers
 * @param embedded           the embedded MongoDB-compatible server used when no MongoDB URI is set
 * @param passphraseHashCost BCrypt cost for passphrases and security answers
 * @param readModelWait      how long a mutation waits for the read model to show its own write
 * @param expirySweep        how often unverified accounts and emails past 48 h are expired
 * @param issuance           the CA: keys, algorithms, public URL
 * @param mail               outgoing mail (the SMTP server itself is Spring Boot's {@code spring.mail.*})
 */
@ConfigurationProperties("trustledger")
public record TrustLedgerProperties(Path dataDir, boolean devMode, Genesis genesis, Embedded embedded,
                                    Integer passphraseHashCost, Duration readModelWait, Duration expirySweep,
                                    Issuance issuance, Mail mail) {

    public TrustLedgerProperties {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        genesis = genesis == null ? new Genesis(null) : genesis;
        embedded = embedded == null ? new Embedded(null, null, null) : embedded;
        passphraseHashCost = passphraseHashCost == null ? 10 : passphraseHashCost;
        readModelWait = readModelWait == null ? Duration.ofSeconds(10) : readModelWait;
        expirySweep = expirySweep == null ? Duration.ofMinutes(10) : expirySweep;
        issuance = issuance == null ? new Issuance(null, null, null, null, null, null) : issuance;
        mail = mail == null ? new Mail(null, null, null) : mail;
    }

    /**
     * @param keyDirectory  where the CA keys live (default {@code <data-dir>/ca})
     * @param keyPassphrase protects the CA key store (env TRUSTLEDGER_ISSUANCE_KEY_PASSPHRASE); when unset a
     *                      random one is made on first start and kept beside the keys, readable by the owner only
     * @param keyAlgorithm  EC-P384 (default) or RSA-4096 for new CA keys
     * @param organisation  O of the CA certificates (default trust-ledger)
     * @param baseUrl       public URL of this server, written into certificates for CRL, OCSP and CA downloads
     * @param pkcs11        CA keys in a PKCS#11 token instead of the key store, when its library is set
     */
    public record Issuance(Path keyDirectory, String keyPassphrase, String keyAlgorithm, String organisation,
                           java.net.URI baseUrl, Pkcs11 pkcs11) {
        public Issuance {
            baseUrl = baseUrl == null ? java.net.URI.create("http://localhost:8080") : baseUrl;
            pkcs11 = pkcs11 == null ? new Pkcs11(null, 0, null) : pkcs11;
        }
    }

    /** @param library the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so; unset: software keys */
    public record Pkcs11(Path library, int slotListIndex, String pin) {
    }

    /**
     * @param from  the From address of the CA's mails
     * @param relay how often the outbox is drained to the SMTP server (when spring.mail.host is set)
     * @param support where alerts for support go (e.g. a locked passphrase recovery)
     */
    public record Mail(String from, Duration relay, String support) {
        public Mail {
            from = from == null ? "trust-ledger@localhost" : from;
            support = support == null ? "support@localhost" : support;
            relay = relay == null ? Duration.ofSeconds(2) : relay;
        }
    }

    /** @param file a JSON list of founding assurers (env TRUSTLEDGER_GENESIS_FILE); none when unset */
    public record Genesis(Path file) {
    }

    /**
     * @param storage {@code file} (default: survives restarts and crashes) or {@code memory} (tests)
     * @param database the database name used when the MongoDB URI names none
     * @param cacheSize the page cache of the store's file (H2's), which holds the pages last used, as H2
     *                  counts them (about twice their encoded size); a plain number is in megabytes
     */
    public record Embedded(String storage, String database, @DataSizeUnit(DataUnit.MEGABYTES) DataSize cacheSize) {
        public Embedded {
            storage = storage == null ? "file" : storage;
            database = database == null ? "trustledger" : database;
            cacheSize = cacheSize == null ? DataSize.ofMegabytes(EmbeddedMongo.DEFAULT_CACHE_MB) : cacheSize;
            if (cacheSize.toMegabytes() < 1 || cacheSize.toMegabytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("trustledger.embedded.cache-size must be between 1MB and "
                        + Integer.MAX_VALUE + "MB, not " + cacheSize);
            }
        }
    }
}
