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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
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
}
