package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web of trust as a graph: pseudonymous nodes, neighbourhoods, statistics and shortest paths,
 * time travel in both history views, and exports that Graphviz renders and NetworkX loads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trustledger.embedded.storage=memory", "trustledger.dev-mode=true", "trustledger.passphrase-hash-cost=4",
        "trustledger.genesis.file=src/test/resources/genesis-test.json",
        // A ledger of its own: the neighbourhoods and counts below must not see other tests' assurances.
        "trustledger.mail.from=trust-graph-test@localhost"})
@AutoConfigureHttpGraphQlTester
class TrustGraphTest {

    static final String[] F = LedgerGraphQlTest.FOUNDERS;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String GRAPH = "query($c: ID, $d: Int, $v: Boolean, $at: DateTime, $view: HistoryView, $a: ID!, $b: ID!) {"
            + " trustGraph(center: $c, depth: $d, includeVoided: $v, first: 100, asOf: $at, view: $view) {"
            + " nodes { id pseudonymous status } edges { id from to points kind voided } totalEdges"
            + " statistics { members membersByStatus { status count } assurances assurancesByKind { kind count }"
            + " connectedComponents largestComponent } shortestPath(from: $a, to: $b) { id } } }";

    @Autowired
    HttpGraphQlTester anonymousGraphQl;
    @LocalServerPort
    int port;
    Identities ids;
    LedgerGraphQlTest helper;
    @TempDir
    Path dir;

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    @BeforeEach
    void logIn() {
        ids = new Identities(anonymousGraphQl, port);
        helper = LedgerGraphQlTest.over(ids);
    }

    String assure(String founder, String email, String dob, int points) {
        return ids.as(founder).documentName("recordAssurance").variable("input", helper.assurance(helper.memberId(founder),
                email, dob, points)).execute().path("recordAssurance.error").valueIsNull()
                .path("recordAssurance.assurance.id").entity(String.class).get();
    }

    JsonNode graph(String asEmail, Map<String, Object> vars) {
        JsonNode r = ids.post(asEmail == null ? F[0] : asEmail, GRAPH, vars);
        assertThat(r.path("errors").isMissingNode()).as(r.toString()).isTrue();
        return r.path("data").path("trustGraph");
    }

    @Test
    void the_graph_is_pseudonymous_travels_in_time_and_exports_to_graphviz_and_networkx() throws Exception {
        String e1 = LedgerGraphQlTest.uniqueEmail();
        String e2 = LedgerGraphQlTest.uniqueEmail();
        String m1 = helper.registerAndVerify(e1, "1990-01-01");
        String m2 = helper.registerAndVerify(e2, "1991-01-01");
        assure(F[0], e1, "1990-01-01", 35);
        String forged = assure(F[1], e1, "1990-01-01", 35);
        assure(F[0], e2, "1991-01-01", 10);
        Thread.sleep(10);
        Instant beforeVoiding = Instant.now();
        Thread.sleep(10);
        String carol = helper.memberId(F[2]);
        ids.as(F[0]).document("mutation($m: ID!, $by: ID!) { appointRole(input: {memberId: $m, role: ARBITRATOR,"
                + " appointedBy: $by, reason: \"graph test\"}) { error { code } } }").variable("m", carol)
                .variable("by", helper.memberId(F[0])).execute();
        String caseId = ids.as(e1).document("mutation($c: ID!) { fileCase(input: {claimantId: $c, relief: \"void\"}) {"
                + " case { id } } }").variable("c", m1).execute().path("fileCase.case.id").entity(String.class).get();
        ids.as(F[0]).document("mutation($k: ID!, $a: ID!, $by: ID!) { assignArbitrator(input: {caseId: $k, arbitratorId:"
                + " $a, assignedBy: $by}) { error { code } } }").variable("k", caseId).variable("a", carol)
                .variable("by", helper.memberId(F[0])).execute().path("assignArbitrator.error").valueIsNull();
        ids.as(F[2]).document("mutation($k: ID!, $a: ID!, $x: ID!) { voidAssurance(input: {caseId: $k, arbitratorId: $a,"
                + " assuranceId: $x, reason: \"forged\"}) { error { code } } }").variable("k", caseId).variable("a", carol)
                .variable("x", forged).execute().path("voidAssurance.error").valueIsNull();

        // Member 1's own view of their neighbourhood: themselves by id, everyone else by pseudonym.
        JsonNode mine = graph(e1, Map.of("c", m1, "d", 1, "a", m1, "b", m1));
        assertThat(mine.path("totalEdges").asInt()).isEqualTo(1);
        assertThat(mine.path("nodes").toString()).contains("\"id\":\"" + m1 + "\",\"pseudonymous\":false");
        String alicePseudonym = mine.path("edges").get(0).path("from").asString();
        assertThat(alicePseudonym).startsWith("p-");
        assertThat(mine.path("edges").get(0).path("points").asInt()).as("the assuree sees the points").isEqualTo(35);
        // Depth 2 reaches member 2 through Alice; the shortest path is m1 - Alice - m2.
        JsonNode wider = graph(e1, Map.of("c", m1, "d", 2, "a", m1, "b", alicePseudonym));
        assertThat(wider.path("totalEdges").asInt()).isEqualTo(2);
        String m2Pseudonym = null;
        for (JsonNode e : wider.path("edges")) {
            if (!e.path("to").asString().equals(m1)) {
                m2Pseudonym = e.path("to").asString();
                assertThat(e.path("points").isNull()).as("member 2's points are not member 1's to see: " + e).isTrue();
            }
        }
        JsonNode path = graph(e1, Map.of("c", m1, "d", 2, "a", m1, "b", m2Pseudonym)).path("shortestPath");
        assertThat(path.size()).isEqualTo(3);
        assertThat(path.get(1).path("id").asString()).isEqualTo(alicePseudonym);
        // With the voided edge, as corrected it is shown voided; as recorded before the ruling, not.
        JsonNode corrected = graph(e1, Map.of("c", m1, "d", 1, "v", true, "a", m1, "b", m1));
        assertThat(corrected.path("edges").toString()).contains("\"voided\":true");
        JsonNode recorded = graph(e1, Map.of("c", m1, "d", 1, "v", true, "at", beforeVoiding.toString(),
                "view", "AS_RECORDED", "a", m1, "b", m1));
        assertThat(recorded.path("edges").toString()).doesNotContain("\"voided\":true");
        assertThat(recorded.path("totalEdges").asInt()).isEqualTo(2);
        JsonNode before = graph(e1, Map.of("c", m1, "d", 1, "at", beforeVoiding.toString(), "view", "AS_CORRECTED",
                "a", m1, "b", m1));
        assertThat(before.path("totalEdges").asInt()).as("as corrected, the voided assurance never counted").isEqualTo(1);

        // Bob (not support) awarded the voided 35 points to member 1: as its assurer he sees them.
        String bob = helper.memberId(F[1]);
        JsonNode bobs = graph(F[1], Map.of("c", bob, "d", 1, "v", true, "a", bob, "b", bob));
        boolean seen = false;
        for (JsonNode e : bobs.path("edges")) {
            if (e.path("id").asString().equals(forged)) {
                seen = true;
                assertThat(e.path("points").asInt()).isEqualTo(35);
            }
        }
        assertThat(seen).as(bobs.toString()).isTrue();

        // The whole graph, anonymously: every node pseudonymous; statistics over the whole selection.
        JsonNode anonymous = JSON.readTree(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("query", GRAPH, "variables", Map.of("a", alicePseudonym, "b", m2Pseudonym))))).build()).body());
        JsonNode whole = anonymous.path("data").path("trustGraph");
        assertThat(whole.path("nodes").toString()).doesNotContain("\"pseudonymous\":false").doesNotContain(m1);
        for (JsonNode e : whole.path("edges")) {
            assertThat(e.path("points").isNull()).as("anonymous callers see no points: " + e).isTrue();
        }
        assertThat(whole.path("statistics").path("assurances").asInt()).isEqualTo(whole.path("totalEdges").asInt());
        assertThat(whole.path("statistics").path("connectedComponents").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(whole.path("statistics").path("assurancesByKind").toString()).contains("FACE_TO_FACE");

        // Paging: one edge per page, following endCursor, visits every edge exactly once.
        Set<String> paged = new java.util.LinkedHashSet<>();
        String after = null;
        for (int page = 0; page <= whole.path("totalEdges").asInt(); page++) {
            Map<String, Object> variables = new java.util.HashMap<>();
            variables.put("after", after);
            JsonNode g = JSON.readTree(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            Map.of("query", "query($after: String) { trustGraph(first: 1, after: $after) { edges { id }"
                                    + " pageInfo { hasNextPage endCursor } } }", "variables", variables)))).build()).body())
                    .path("data").path("trustGraph");
            assertThat(g.path("edges").size()).isEqualTo(1);
            assertThat(paged.add(g.path("edges").path(0).path("id").asString())).as("each edge once").isTrue();
            if (!g.path("pageInfo").path("hasNextPage").asBoolean()) {
                break;
            }
            after = g.path("pageInfo").path("endCursor").asString();
        }
        assertThat(paged).hasSize(whole.path("totalEdges").asInt());

        // Exports: Graphviz renders the DOT, NetworkX loads GraphML and GEXF with the same counts.
        int members = whole.path("statistics").path("members").asInt();
        for (String ext : List.of("dot", "graphml", "gexf", "cyjs")) {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/graph/trust." + ext)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(ext).isEqualTo(200);
            Files.write(dir.resolve("trust." + ext), r.body());
        }
        assertThat(Files.readString(dir.resolve("trust.dot"))).doesNotContain(m1);
        for (String ext : List.of("dot", "graphml", "gexf", "cyjs")) {
            assertThat(Files.readString(dir.resolve("trust." + ext))).as("public exports carry no points")
                    .doesNotContain("points").doesNotContain("weight").doesNotContain("label=\"35\"");
        }
        Tools.ok(dir, "dot", "-Tsvg", "trust.dot", "-o", "trust.svg");
        assertThat(Files.readString(dir.resolve("trust.svg"))).contains("<svg")
                .contains("<title>" + alicePseudonym.replace("-", "&#45;") + "</title>"); // Graphviz escapes '-'
        String counts = Tools.ok(dir, "/usr/bin/python3", "-c", "import networkx as nx;"
                + " g = nx.read_graphml('trust.graphml'); h = nx.read_gexf('trust.gexf');"
                + " print(g.number_of_nodes(), g.number_of_edges(), h.number_of_nodes(), h.number_of_edges())").strip();
        String[] n = counts.split(" ");
        assertThat(Integer.parseInt(n[1])).as("GraphML edges").isEqualTo(whole.path("totalEdges").asInt());
        assertThat(Integer.parseInt(n[3])).as("GEXF edges").isEqualTo(whole.path("totalEdges").asInt());
        assertThat(Integer.parseInt(n[0])).as("every member is a node").isGreaterThanOrEqualTo(5);
        assertThat(n[0]).isEqualTo(n[2]);
        JsonNode cy = JSON.readTree(Files.readString(dir.resolve("trust.cyjs")));
        assertThat(cy.path("elements").path("edges").size()).isEqualTo(whole.path("totalEdges").asInt());
        assertThat(cy.path("elements").path("nodes").size()).isEqualTo(Integer.parseInt(n[0]));
        assertThat(members).as("statistics count every member, as the exports do").isEqualTo(Integer.parseInt(n[0]));
        int byStatus = 0;
        for (JsonNode c : whole.path("statistics").path("membersByStatus")) {
            byStatus += c.path("count").asInt();
        }
        assertThat(byStatus).as("members per status add up").isEqualTo(members);
        // A neighbourhood export, centred on a pseudonym taken from the whole graph.
        HttpResponse<String> hood = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/graph/trust.graphml?depth=1&center=" + m2Pseudonym)).build());
        assertThat(hood.statusCode()).isEqualTo(200);
        assertThat(hood.body()).contains(m2Pseudonym).contains(alicePseudonym);
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/graph/trust.xlsx")).build()).statusCode()).isEqualTo(400);
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
