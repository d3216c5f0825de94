package org.trustledger.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trustledger.server.security.LoginThrottle;

/**
 * Writes whose writer makes them durable itself ({@link StoreDurability}), on the embedded store on a
 * file: the store does not commit them on its own before acknowledging them, so the writer's
 * {@link EmbeddedMongo#awaitDurable} is what carries them through a crash.
 */
class WriterDurabilityTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T15:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @Test
    void credential_failures_counted_just_before_a_crash_still_block_the_account_after_it() {
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir); MongoClient client = ownClient(mongo)) {
            LoginThrottle throttle = new LoginThrottle(client.getDatabase("trustledger"), mongo::awaitDurable, CLOCK, 5, 20);
            for (int i = 0; i < 4; i++) {
                throttle.failed("ada@example.org", "192.0.2.7");
            }
            try (LoginThrottle.Attempt attempt = throttle.begin("ada@example.org", "192.0.2.7")) {
                assertThat(attempt.refused()).isFalse();
                attempt.failed(); // the fifth: the account is blocked
            }
            mongo.halt(); // at once, before the store's own periodic commit
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir); MongoClient client = ownClient(mongo)) {
            LoginThrottle throttle = new LoginThrottle(client.getDatabase("trustledger"), mongo::awaitDurable, CLOCK, 5, 20);
            assertThat(throttle.blockedUntil("ada@example.org", "198.51.100.1")).as("blocked after the restart")
                    .isPresent();
        }
    }

    /**
     * What no durable write commits (read models, processors' tokens) is committed by the store's own
     * thread every {@link EmbeddedMongo#PERIODIC_COMMIT_MS} ms, and survives a crash after that.
     */
    @Test
    void derived_writes_survive_a_crash_once_the_periodic_commit_has_run() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir); MongoClient client = ownClient(mongo)) {
            client.getDatabase("trustledger").getCollection("members")
                    .insertOne(new org.bson.Document("_id", "ada").append("points", 35));
            Thread.sleep(EmbeddedMongo.PERIODIC_COMMIT_MS + 2_000);
            mongo.halt();
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir); MongoClient client = ownClient(mongo)) {
            org.bson.Document ada = client.getDatabase("trustledger").getCollection("members").find().first();
            assertThat(ada).as("the member's document after the crash").isNotNull();
            assertThat(ada.getInteger("points")).isEqualTo(35);
        }
    }

    /**
     * On the embedded store too, with reservations no longer committed one by one, none is lost when 16
     * threads reserve and give back on the same keys at once.
     */
    @Test
    void reservations_given_back_concurrently_on_the_embedded_store_all_count() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir); MongoClient client = ownClient(mongo)) {
            com.mongodb.client.MongoDatabase db = client.getDatabase("trustledger");
            LoginThrottle throttle = new LoginThrottle(db, mongo::awaitDurable, CLOCK, 10, 50);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 16; t++) {
                String account = "assurer-" + (t % 4) + "@example.org";
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try (LoginThrottle.Attempt attempt = throttle.begin(account, "192.0.2.7")) {
                            assertThat(attempt.refused()).isFalse();
                            if (i % 2 == 0) {
                                attempt.succeeded();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            for (org.bson.Document d : db.getCollection("credential_failures").find()) {
                int pending = d.get("p", org.bson.Document.class).values().stream()
                        .mapToInt(v -> ((Number) v).intValue()).sum();
                assertThat(pending).as("reservations still counted for %s", d.get("_id")).isZero();
            }
            assertThat(db.getCollection("credential_failures").countDocuments()).isEqualTo(5);
        }
    }

    /** A client of this process, as the application's: the store's commits after durable writes included. */
    private static MongoClient ownClient(EmbeddedMongo mongo) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.connectionString("trustledger")))
                .applicationName(mongo.clientName()).addCommandListener(mongo.commitAfterWrite()).build());
    }
}
