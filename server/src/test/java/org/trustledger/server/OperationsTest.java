package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The operations dashboard: Actuator health with the event store and processors, Prometheus metrics, ledgerStats. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json"})
@AutoConfigureHttpGraphQlTester
class OperationsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    HttpGraphQlTester anonymousGraphQl;
    @Autowired
    com.mongodb.client.MongoDatabase db;
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

    String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void health_metrics_and_ledger_stats_show_what_the_ledger_does() throws Exception {
        JsonNode health = JSON.readTree(get("/actuator/health"));
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("eventStore").path("details").path("head").asLong()).isPositive();
        assertThat(health.path("components").path("processors").path("details").has("members")).isTrue();

        String email = LedgerGraphQlTest.uniqueEmail();
        String member = helper.registerAndVerify(email, "1990-01-01");
        ids.as(LedgerGraphQlTest.FOUNDERS[0]).documentName("recordAssurance").variable("input",
                helper.assurance(helper.memberId(LedgerGraphQlTest.FOUNDERS[0]), email, "1990-01-01", 35)).execute()
                .path("recordAssurance.error").valueIsNull();
        ids.as(email).document("mutation($m: ID!) { requestCertificate(input: {memberId: $m, kind: CLIENT, csr: \"junk\"})"
                + " { error { code } } }").variable("m", member).execute()
                .path("requestCertificate.error.code").entity(String.class).isEqualTo("CSR_MALFORMED");

        // A refusal the ledger throws rather than records: answers to a challenge attempt that is not open.
        ids.as(email).document("mutation($m: ID!) { submitAssurerChallenge(input: {memberId: $m, attemptId: \"none\","
                + " answers: []}) { error { code } } }").variable("m", member).execute()
                .path("submitAssurerChallenge.error.code").entity(String.class).isEqualTo("CHALLENGE_ATTEMPT_NOT_OPEN");

        String metrics = get("/actuator/prometheus");
        assertThat(metrics).contains("trustledger_commands_total{command=\"RecordAssuranceCommand\"")
                .contains("trustledger_refusals_total{code=\"CSR_MALFORMED\"")
                .contains("trustledger_processor_lag{processor=\"members\"");
        assertThat(metrics).as("a refusal the ledger throws is counted too")
                .contains("trustledger_refusals_total{code=\"CHALLENGE_ATTEMPT_NOT_OPEN\"");
        long lag = JSON.readTree(get("/actuator/health")).path("components").path("processors").path("details")
                .path("members").path("lag").asLong(-1);
        assertThat(lag).as("the members processor's lag is in the health details").isGreaterThanOrEqualTo(0);

        JsonNode stats = ids.post(email, "{ ledgerStats { members assurances certificates events processors { name running lag } } }",
                Map.of()).path("data").path("ledgerStats");
        assertThat(stats.path("members").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(stats.path("assurances").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(stats.path("events").asLong()).isPositive();
        // Whole collections are counted from their metadata: the same counts as reading them.
        assertThat(stats.path("members").asLong()).isEqualTo(db.getCollection("member_view").countDocuments());
        assertThat(stats.path("assurances").asLong()).isEqualTo(db.getCollection("assurance_view").countDocuments());
        assertThat(stats.path("processors").toString()).contains("\"name\":\"members\"").contains("\"running\":true");
    }
}
