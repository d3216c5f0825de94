package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.trustledger.issuance.api.CertificateIssued;
import org.trustledger.issuance.api.CertificateReserved;
import org.trustledger.ledger.api.AssuranceVoided;
import tools.jackson.databind.JsonNode;

/**
 * Many clients at once (16 threads over HTTP): the same assurer assuring many members and the same
 * member assured by many assurers. The caps hold exactly (AP never above 100) and every award is
 * judged by the assurer's experience at that moment, never by a stale one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class ConcurrencyTest {

    static final String[] F = LedgerGraphQlTest.FOUNDERS;
    static final String ASSURE = "mutation($i: RecordAssuranceInput!) { recordAssurance(input: $i) {"
            + " assurance { id points counted } error { code } } }";

    @Autowired
    HttpGraphQlTester anonymousGraphQl;
    @LocalServerPort
    int port;
    Identities ids;
    LedgerGraphQlTest helper;

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    @BeforeEach
    void logIn() {
        ids = new Identities(anonymousGraphQl, port);
        helper = LedgerGraphQlTest.over(ids);
    }

    JsonNode assure(String assurerEmail, String assurerId, String email, String dob, int points) {
        return ids.post(assurerEmail, ASSURE, Map.of("i", helper.assurance(assurerId, email, dob, points)))
                .path("data").path("recordAssurance");
    }

    static <T> List<T> allAtOnce(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<T>> futures = pool.invokeAll(calls, 120, TimeUnit.SECONDS);
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void caps_and_experience_hold_exactly_under_concurrent_assurances() throws Exception {
        // A new Assurer: 100 AP from the founders, the challenge passed, no experience yet (may award 10).
        String assurerEmail = LedgerGraphQlTest.uniqueEmail();
        String assurer = helper.registerAndVerify(assurerEmail, "1980-01-01");
        for (String f : F) {
            assure(f, helper.memberId(f), assurerEmail, "1980-01-01", 35);
        }
        ids.as(F[0]).documentName("recordAssurerChallenge").variable("input", Map.of("memberId", assurer,
                "scorePercent", 90)).execute().path("recordAssurerChallenge.member.points.maxAssurancePoints")
                .entity(Integer.class).isEqualTo(10);

        // The same assurer, twelve members, all at once: six awards of 10 and six of 15. A 15 is allowed
        // only once 5 assurances (10 EP) were recorded before it.
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String email = LedgerGraphQlTest.uniqueEmail();
            helper.registerAndVerify(email, "1990-01-01");
            int points = i % 2 == 0 ? 10 : 15;
            calls.add(() -> assure(assurerEmail, assurer, email, "1990-01-01", points));
        }
        List<JsonNode> outcomes = allAtOnce(calls);
        int recorded = 0;
        for (JsonNode o : outcomes) {
            if (o.path("error").isObject()) {
                assertThat(o.path("error").path("code").asString()).isEqualTo("POINTS_ABOVE_ASSURER_MAXIMUM");
            } else {
                recorded++;
            }
        }
        assertThat(recorded).isGreaterThanOrEqualTo(6);
        JsonNode given = ids.post(assurerEmail, "query($m: ID!) { member(id: $m) { points { experience }"
                + " assurancesGiven(first: 50) { totalCount edges { node { points recordedAt } } } } }",
                Map.of("m", assurer)).path("data").path("member");
        assertThat(given.path("assurancesGiven").path("totalCount").asInt()).isEqualTo(recorded);
        assertThat(given.path("points").path("experience").asInt()).as("2 EP per assurance, exactly")
                .isEqualTo(2 * recorded);
        int k = 0;
        for (JsonNode edge : given.path("assurancesGiven").path("edges")) {
            int maxAtThatMoment = 10 + 5 * Math.min(5, (2 * k) / 10);
            assertThat(edge.path("node").path("points").asInt()).as("award %d judged by the EP it had then", k)
                    .isLessThanOrEqualTo(maxAtThatMoment);
            k++;
        }

        // The same member, four assurers at once: 35 + 35 + 35 + 10 awarded, AP exactly 100.
        String targetEmail = LedgerGraphQlTest.uniqueEmail();
        String target = helper.registerAndVerify(targetEmail, "1995-05-05");
        List<Callable<JsonNode>> onOne = new ArrayList<>();
        for (String f : F) {
            String id = helper.memberId(f);
            onOne.add(() -> assure(f, id, targetEmail, "1995-05-05", 35));
        }
        onOne.add(() -> assure(assurerEmail, assurer, targetEmail, "1995-05-05", 10));
        int counted = 0;
        for (JsonNode o : allAtOnce(onOne)) {
            assertThat(o.path("error").isObject()).as(o.toString()).isFalse();
            counted += o.path("assurance").path("counted").asInt();
        }
        assertThat(counted).as("what counted adds up to the cap, whoever came first").isEqualTo(100);
        Map<String, Object> vars = new HashMap<>(Map.of("m", target));
        assertThat(ids.post(F[0], "query($m: ID!) { member(id: $m) { points { assurance } } }", vars)
                .path("data").path("member").path("points").path("assurance").asInt()).isEqualTo(100);
    }

    @Autowired
    EventStore eventStore;

    JsonNode call(String email, String document, Map<String, Object> variables, String field) {
        JsonNode response = ids.post(email, document, variables);
        assertThat(response.has("errors")).as(response.toString()).isFalse();
        return response.path("data").path(field);
    }

    /**
     * An arbitrator voids an assurance while its member asks for a certificate that needs it (Class 3
     * with the member's name needs 50 points; the member falls to 35): eight such races at once. Each
     * issuance either saw the voiding (refused), or read its rights before it and then: if the voiding
     * was recorded before the certificate, the check after signing revoked it at once; if after, the
     * certificate was rightly issued and the ruling that revokes what lost its backing revokes it.
     * Never a certificate that saw the voiding and was issued anyway, never one left valid.
     */
    @Test
    void a_voiding_racing_an_issuance_is_seen_by_it_or_revokes_what_it_signed() throws Exception {
        String support = helper.memberId(F[0]);
        String arbitrator = helper.memberId(F[2]);
        JsonNode role = call(F[0], "mutation($m: ID!, $by: ID!) { appointRole(input: {memberId: $m, role: ARBITRATOR,"
                + " appointedBy: $by, reason: \"arbitration\"}) { error { code } } }", Map.of("m", arbitrator, "by", support),
                "appointRole");
        assertThat(role.path("error").isNull() || role.path("error").path("code").asString().equals("ROLE_ALREADY_HELD")).isTrue();
        record Race(String email, String member, String caseId, String assurance) {
        }
        List<Race> races = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String email = LedgerGraphQlTest.uniqueEmail();
            String member = helper.registerAndVerify(email, "1977-07-07");
            assure(F[0], support, email, "1977-07-07", 35);
            String assurance = assure(F[1], helper.memberId(F[1]), email, "1977-07-07", 35).path("assurance").path("id").asString();
            String caseId = call(email, "mutation($c: ID!) { fileCase(input: {claimantId: $c, relief: \"void it\"}) { case { id } } }",
                    Map.of("c", member), "fileCase").path("case").path("id").asString();
            assertThat(call(F[0], "mutation($k: ID!, $a: ID!, $by: ID!) { assignArbitrator(input: {caseId: $k, arbitratorId: $a,"
                    + " assignedBy: $by}) { error { code } } }", Map.of("k", caseId, "a", arbitrator, "by", support),
                    "assignArbitrator").path("error").isNull()).isTrue();
            races.add(new Race(email, member, caseId, assurance));
        }
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (Race r : races) {
            calls.add(() -> call(F[2], "mutation($k: ID!, $a: ID!, $x: ID!) { voidAssurance(input: {caseId: $k, arbitratorId: $a,"
                    + " assuranceId: $x, reason: \"forged\"}) { error { code } } }",
                    Map.of("k", r.caseId(), "a", arbitrator, "x", r.assurance()), "voidAssurance"));
            calls.add(() -> call(r.email(), Workload.REQUEST, Map.of("input", Map.of("memberId", r.member(), "kind", "CLIENT",
                    "publicKey", Workload.publicKey(), "root", "CLASS3", "nameVariant", "FULL")), "requestCertificate"));
        }
        List<JsonNode> outcomes = allAtOnce(calls);

        // The global order of what was recorded, from the event store itself.
        List<EventMessage<?>> ledger = new ArrayList<>();
        try (var stream = eventStore.openStream(null)) {
            while (stream.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
                ledger.add(stream.nextAvailable());
            }
        }
        int sawIt = 0;
        int revokedAfterSigning = 0;
        int issuedBefore = 0;
        for (int i = 0; i < races.size(); i++) {
            Race r = races.get(i);
            assertThat(outcomes.get(2 * i).path("error").isNull()).as("voiding " + outcomes.get(2 * i)).isTrue();
            JsonNode request = outcomes.get(2 * i + 1);
            int voidedAt = indexOf(ledger, m -> m.getPayload() instanceof AssuranceVoided v && v.assureeId().equals(r.member()));
            long voidSeq = ((DomainEventMessage<?>) ledger.get(voidedAt)).getSequenceNumber();
            if (!request.path("error").isNull()) {
                assertThat(request.path("error").path("code").asString()).as(request.toString())
                        .isIn("CLASS3_NOT_PERMITTED", "NAME_IN_CERTIFICATE_NOT_PERMITTED");
                sawIt++;
                continue;
            }
            String serial = request.path("certificate").path("serial").asString();
            CertificateReserved reserved = (CertificateReserved) ledger.get(indexOf(ledger,
                    m -> m.getPayload() instanceof CertificateReserved c && c.serial().equals(serial))).getPayload();
            assertThat(reserved.ledgerSequence()).as("a certificate issued on rights read after the voiding").isLessThan(voidSeq);
            int issuedAt = indexOf(ledger, m -> m.getPayload() instanceof CertificateIssued c && c.serial().equals(serial));
            if (voidedAt < issuedAt) {
                assertThat(awaitStatus(serial, r.email())).as("voided during issuance: revoked at once").isEqualTo("REVOKED");
                revokedAfterSigning++;
            } else {
                assertThat(call(F[2], "mutation($k: ID!, $a: ID!, $m: ID!) { revokeCertificates(input: {caseId: $k,"
                        + " arbitratorId: $a, memberId: $m, reason: \"its backing was void\"}) { error { code } } }",
                        Map.of("k", r.caseId(), "a", arbitrator, "m", r.member()), "revokeCertificates").path("error").isNull())
                        .isTrue();
                assertThat(awaitStatus(serial, r.email())).as("issued before the voiding: revoked by the ruling").isEqualTo("REVOKED");
                issuedBefore++;
            }
        }
        System.out.printf("[voiding race] 8 voidings racing 8 Class 3 requests: %d requests saw the voiding and were refused,"
                + " %d were signed on rights read before it and revoked by the check after signing, %d were issued before the"
                + " voiding and revoked by the ruling%n", sawIt, revokedAfterSigning, issuedBefore);
    }

    static int indexOf(List<EventMessage<?>> ledger, java.util.function.Predicate<EventMessage<?>> test) {
        for (int i = 0; i < ledger.size(); i++) {
            if (test.test(ledger.get(i))) {
                return i;
            }
        }
        throw new AssertionError("not in the ledger");
    }

    String awaitStatus(String serial, String ownerEmail) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String status;
        do {
            status = call(ownerEmail, "query($s: String!) { certificate(serial: $s) { status } }", Map.of("s", serial),
                    "certificate").path("status").asString();
            if (status.equals("REVOKED")) {
                return status;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return status;
    }
}
