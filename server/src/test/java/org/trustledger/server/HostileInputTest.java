package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

/** Limits against hostile input: depth, complexity, document size; security headers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.passphrase-hash-cost=4"})
@AutoConfigureHttpGraphQlTester
class HostileInputTest {

    @Autowired
    HttpGraphQlTester graphQl;
    @LocalServerPort
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    @Test
    void a_query_nested_too_deep_is_refused_before_it_runs() {
        String level = "assurancesReceived { edges { node { assurer { %s } } } }";
        String inner = "id";
        for (int i = 0; i < 5; i++) {
            inner = String.format(level, inner);
        }
        graphQl.document("{ member(id: \"x\") { " + inner + " } }").execute().errors()
                .satisfy(errors -> assertThat(errors).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", "QUERY_LIMIT_EXCEEDED")));
    }

    @Test
    void a_query_within_the_limits_runs_up_to_the_access_rules() {
        String level = "assurancesReceived { edges { node { assurer { %s } } } }";
        graphQl.document("{ member(id: \"x\") { " + String.format(level, "id") + " } }").execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "UNAUTHENTICATED")));
    }

    /** A whole-graph read is costly: four fit in one document, five aliased ones are refused before they run. */
    @Test
    void aliased_whole_graph_reads_are_bounded_by_the_complexity_limit() {
        String four = java.util.stream.IntStream.range(0, 4).mapToObj(i -> "g" + i + ": trustGraph { totalEdges }")
                .collect(java.util.stream.Collectors.joining(" "));
        graphQl.document("{ " + four + " }").execute().path("g3.totalEdges").hasValue();
        graphQl.document("{ " + four + " g4: trustGraph { totalEdges } }").execute().errors()
                .satisfy(errors -> assertThat(errors).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", "QUERY_LIMIT_EXCEEDED")));
    }

    @Test
    void graphiql_introspection_fits_within_the_limits() {
        graphQl.document(graphql.introspection.IntrospectionQuery.INTROSPECTION_QUERY).execute()
                .path("__schema.queryType.name").entity(String.class).isEqualTo("Query");
    }

    @Test
    void an_oversized_document_is_refused_unparsed_with_a_clear_error() throws Exception {
        String huge = "{\"query\":\"{ member(id: \\\"" + "x".repeat(70_000) + "\\\") { id } }\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(huge)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("DOCUMENT_TOO_LARGE").contains("65536");
    }

    @Test
    void responses_carry_security_headers() throws Exception {
        for (String path : new String[] {"/graphiql", "/graphql"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (path.equals("/graphql")) {
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ member(id: \\\"x\\\") { id } }\"}"));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'self'");
            assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            if (path.equals("/graphql")) {
                assertThat(response.headers().firstValue("Cache-Control")).as("answers are never cached").contains("no-store");
            }
        }
    }
}
