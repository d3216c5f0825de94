package org.trustledger.server.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

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
 */
@ConfigurationProperties("trustledger")
public record TrustLedgerProperties(Path dataDir, boolean devMode, Genesis genesis, Embedded embedded,
                                    Integer passphraseHashCost, Duration readModelWait, Duration expirySweep) {

    public TrustLedgerProperties {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        genesis = genesis == null ? new Genesis(null) : genesis;
        embedded = embedded == null ? new Embedded(null, null) : embedded;
        passphraseHashCost = passphraseHashCost == null ? 10 : passphraseHashCost;
        readModelWait = readModelWait == null ? Duration.ofSeconds(10) : readModelWait;
        expirySweep = expirySweep == null ? Duration.ofMinutes(10) : expirySweep;
    }

    /** @param file a JSON list of founding assurers (env TRUSTLEDGER_GENESIS_FILE); none when unset */
    public record Genesis(Path file) {
    }

    /**
     * @param storage {@code file} (default: survives restarts and crashes) or {@code memory} (tests)
     * @param database the database name used when the MongoDB URI names none
     */
    public record Embedded(String storage, String database) {
        public Embedded {
            storage = storage == null ? "file" : storage;
            database = database == null ? "trustledger" : database;
        }
    }
}
