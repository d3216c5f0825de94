package org.trustledger.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.api.CertificateIssued;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.api.CertificateReserved;
import org.trustledger.issuance.api.CertificateRevoked;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.issuance.status.CrlShards;
import org.trustledger.ledger.testing.TestMongo;

/** The register's counts for the dashboard, and the list of issued certificates they come from. */
class CertificateRegisterTest {

    static final Instant T = Instant.parse("2026-12-05T00:00:00Z");

    TestMongo mongo;
    MongoDatabase db;
    CertificateRegister register;

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
        db = mongo.freshDatabase();
        register = new CertificateRegister(db);
    }

    @AfterEach
    void tearDown() {
        mongo.close();
    }

    static CertificateReserved reserved(String serial) {
        return new CertificateReserved("req-" + serial, "m", serial, CertificateKind.CLIENT, CaId.CLASS1, "CN=m",
                List.of("m@example.org"), "key", T, T.plusSeconds(86_400), "SHA256", List.of("EMAIL"), 7, null,
                "tbs", T);
    }

    void issue(String serial, long seq) {
        register.on(reserved(serial), seq);
        register.on(new CertificateIssued("req-" + serial, "m", serial, CaId.CLASS1, "PEM " + serial, "FP", T), seq + 1);
    }

    List<Document> issuedList() {
        return db.getCollection(CertificateRegister.ISSUED).find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    @Test
    void issued_certificates_are_listed_once_each_counted_from_the_list_and_listed_for_a_store_that_predates_it() {
        issue("0A", 0);
        issue("0B", 0);
        issue("0B", 0); // delivered again
        register.on(reserved("0C"), 0); // reserved, never signed: not issued
        assertThat(register.issuedCount()).isEqualTo(2);
        assertThat(issuedList()).containsExactly(new Document("_id", "0A"), new Document("_id", "0B"));
        assertThat(register.issuedCount())
                .isEqualTo(db.getCollection("certificates").countDocuments(new Document("pem", new Document("$ne", null))));

        register.on(new CertificateRevoked("req-0A", "m", "0A", CaId.CLASS1, RevocationReason.KEY_COMPROMISE, "m", null,
                T.plusSeconds(60)), 2);
        assertThat(register.revokedCount()).isEqualTo(1);
        assertThat(register.countRevokedExactly(CaId.CLASS1, CrlShards.of("0A"))).isEqualTo(1);
        assertThat(register.issuedCount()).as("a revoked certificate was issued all the same").isEqualTo(2);
        List<Document> listed = issuedList();

        // A store written before the list existed: the first start lists the certificates with a PEM.
        db.getCollection(CertificateRegister.ISSUED).drop();
        register = new CertificateRegister(db);
        assertThat(issuedList()).isEqualTo(listed);
        assertThat(register.issuedCount()).isEqualTo(2);
        // ...and only the first: a list emptied since is left as it is.
        db.getCollection(CertificateRegister.ISSUED).deleteMany(new Document());
        register = new CertificateRegister(db);
        assertThat(register.issuedCount()).isZero();

        // A rebuild lists them again from the events.
        register.reset();
        assertThat(register.issuedCount()).isZero();
        assertThat(register.revokedCount()).isZero();
        issue("0A", 0);
        issue("0B", 0);
        assertThat(issuedList()).isEqualTo(listed);
    }
}
