package org.trustledger.server.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.status.OcspResponseStore;
import org.trustledger.server.config.EmbeddedMongo;

/**
 * The pre-signed OCSP responses each node keeps in memory: a revocation is never hidden behind a "good"
 * response, whether this node's register applied it (at once) or another node's (within
 * {@link OcspResponseStore#CACHED_GOOD_FOR}).
 */
class OcspResponseStoreTest {

    private static final CaId CA = CaId.CLASS3;
    private static final BigInteger SERIAL = new BigInteger("1f2e3d4c5b6a", 16);
    private static final byte[] GOOD = {1, 2, 3};
    private static final byte[] REVOKED = {4, 5, 6};
    private EmbeddedMongo mongo;
    private MongoClient client;
    private MongoDatabase db;

    @BeforeEach
    void start() {
        mongo = EmbeddedMongo.inMemory();
        client = MongoClients.create(mongo.connectionString("trustledger"));
        db = client.getDatabase("trustledger");
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    @Test
    void a_revocation_applied_here_voids_the_response_served_from_memory_at_once() {
        OcspResponseStore store = new OcspResponseStore(db);
        Instant now = Instant.parse("2026-12-04T08:00:00Z");
        store.store(CA, SERIAL, GOOD, now, false);
        assertThat(store.find(CA, SERIAL)).hasValueSatisfying(s -> assertThat(s.der()).isEqualTo(GOOD));
        store.revoke(CA, SERIAL);
        assertThat(store.find(CA, SERIAL)).hasValueSatisfying(s -> {
            assertThat(s.revoked()).isTrue();
            assertThat(s.der()).isNull();
        });
        // A "good" response signed from the register just before the revocation loses, in memory as in the store.
        store.store(CA, SERIAL, GOOD, now, false);
        assertThat(store.find(CA, SERIAL)).hasValueSatisfying(s -> assertThat(s.revoked()).isTrue());
        assertThat(new OcspResponseStore(db).find(CA, SERIAL)).hasValueSatisfying(s -> assertThat(s.der()).isNull());
        store.store(CA, SERIAL, REVOKED, now, true);
        assertThat(store.find(CA, SERIAL)).hasValueSatisfying(s -> assertThat(s.der()).isEqualTo(REVOKED));
    }

    @Test
    void another_nodes_revocation_is_seen_once_the_good_response_has_been_served_its_time() throws Exception {
        OcspResponseStore here = new OcspResponseStore(db);
        OcspResponseStore elsewhere = new OcspResponseStore(db);
        here.store(CA, SERIAL, GOOD, Instant.parse("2026-12-04T08:00:00Z"), false);
        assertThat(here.find(CA, SERIAL)).hasValueSatisfying(s -> assertThat(s.revoked()).isFalse());
        elsewhere.revoke(CA, SERIAL);
        Thread.sleep(OcspResponseStore.CACHED_GOOD_FOR.toMillis() + 100);
        assertThat(here.find(CA, SERIAL)).hasValueSatisfying(s -> assertThat(s.revoked()).isTrue());
        // Once seen revoked, it stays revoked in memory: a "good" one signed meanwhile does not replace it.
        here.store(CA, SERIAL, GOOD, Instant.parse("2026-12-04T08:00:01Z"), false);
        assertThat(here.find(CA, SERIAL)).hasValueSatisfying(s -> assertThat(s.revoked()).isTrue());
    }

    @Test
    void a_rebuild_forgets_every_response_in_the_store_and_in_memory() {
        OcspResponseStore store = new OcspResponseStore(db);
        store.store(CA, SERIAL, GOOD, Instant.parse("2026-12-04T08:00:00Z"), false);
        store.revoke(CA, SERIAL.add(BigInteger.ONE));
        assertThat(store.find(CA, SERIAL)).isPresent();
        store.clear();
        assertThat(store.find(CA, SERIAL)).isEmpty();
        assertThat(store.find(CA, SERIAL.add(BigInteger.ONE))).isEmpty();
    }
}
