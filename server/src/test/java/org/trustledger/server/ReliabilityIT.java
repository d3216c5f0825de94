package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Failure behaviour of the packaged server, each test bounded in time and printing what it checked:
 * SIGKILL at random moments under a stream of commands, two nodes on one store with one of them
 * killed, and the store going away for a while. The ground truth is always the event store itself,
 * read from the store after the servers are gone, never the server under test.
 */
class ReliabilityIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void every_acknowledged_command_survives_sigkill_at_random_moments_exactly_once() throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        Random random = new Random(seed);
        Path data = dir.resolve("crash");
        AtomicReference<ServerProcess> server = new AtomicReference<>(ServerProcess.start(data, "crash-0", Map.of()));
        int kills = 0;
        Workload workload = new Workload("crash", () -> server.get().port(), server.get().port(), 3, seed);
        try {
            for (int round = 1; round <= 3; round++) {
                Thread.sleep(3_000 + random.nextInt(4_000));
                server.get().kill();
                kills++;
                server.set(ServerProcess.start(data, "crash-" + round, Map.of()));
            }
            Thread.sleep(3_000);
        } finally {
            workload.close();
        }
        System.out.printf("[crash] seed %d, %d kills (SIGKILL); %s%n", seed, kills, workload.report());
        assertThat(workload.httpFailures).as("answers that were not GraphQL").isEmpty();
        assertThat(workload.acknowledged.get()).as("the workload got work done between the kills").isGreaterThan(20);

        // What the last server shows, then the store itself.
        ServerProcess last = server.get();
        awaitCaughtUp(last);
        GraphQlHttp support = last.graphQl().support();
        for (String email : workload.registered) {
            assertThat(support.data(GraphQlHttp.MEMBER, Map.of("email", email)).get("memberByEmail").isNull())
                    .as("acknowledged registration of " + email + " visible").isFalse();
        }
        last.close();
        StoreFacts incremental = StoreFacts.ofEmbedded(data);
        checkExactlyOnce(incremental, workload, "crash");

        // The projections, built incrementally across the kills, equal a rebuild from scratch.
        try (ServerProcess rebuilt = ServerProcess.start(data, "crash-rebuild", Map.of("TRUSTLEDGER_REBUILD_PROJECTIONS", "true"))) {
            awaitRebuilt(rebuilt);
            // A serial reserved but never signed (killed in between) stays visible and is never reused.
            GraphQlHttp admin = rebuilt.graphQl().support();
            for (String serial : reservedOnly(incremental)) {
                JsonNode cert = admin.data("query($s: String!) { certificate(serial: $s) { status pem } }",
                        Map.of("s", serial)).get("certificate");
                assertThat(cert.path("status").asString()).as("reserved serial " + serial).isEqualTo("RESERVED");
            }
        }
        StoreFacts replayed = StoreFacts.ofEmbedded(data);
        checkGivenCounts(incremental, incremental.readModels, "built across the kills");
        checkGivenCounts(incremental, replayed.readModels, "rebuilt");
        for (String model : StoreFacts.READ_MODELS) {
            assertThat(replayed.readModels.get(model)).as("read model " + model + " rebuilt from scratch")
                    .isEqualTo(incremental.readModels.get(model));
        }
        System.out.printf("[crash] store: %d visible events, %d events of batches abandoned by a kill (invisible);"
                        + " %d read models equal to a rebuild from scratch (%d documents)%n", incremental.events.size(),
                incremental.abandoned, StoreFacts.READ_MODELS.size(),
                incremental.readModels.values().stream().mapToInt(List::size).sum());
    }

    @Test
    void two_nodes_share_one_store_and_the_survivor_takes_over_when_the_other_is_killed() throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        Path nodes = dir.resolve("nodes"); // shared by both nodes: the CA's keys (in production: one HSM or key file)
        try (StoreProcess store = StoreProcess.start(dir.resolve("store"), "two-nodes-store")) {
            Map<String, String> env = Map.of("SPRING_MONGODB_URI", store.uri());
            ServerProcess a = ServerProcess.start(nodes, "node-a", env);
            ServerProcess b = ServerProcess.start(nodes, "node-b", env);
            List<ServerProcess> alive = new CopyOnWriteArrayList<>(List.of(a, b));
            Map<String, String> before;
            Map<String, String> after;
            Workload workload = new Workload("nodes", () -> alive.get(ThreadLocalRandom.current().nextInt(alive.size())).port(),
                    a.port(), 3, seed);
            try {
                Thread.sleep(8_000);
                before = owners(store.uri());
                alive.remove(a);
                a.kill();
                Thread.sleep(15_000); // past the 10 s claim timeout: b must have taken a's segments over
            } finally {
                workload.close();
            }
            try (b) {
                awaitCaughtUp(b);
                after = owners(store.uri());
            }
            String nodeA = a.process.pid() + "@";
            String nodeB = b.process.pid() + "@";
            System.out.printf("[two-nodes] seed %d; %s%n[two-nodes] segment owners before node a (pid %d) was killed: %s;"
                            + " after: %s%n", seed, workload.report(), a.process.pid(), shortOwners(before, nodeA, nodeB),
                    shortOwners(after, nodeA, nodeB));
            assertThat(workload.httpFailures).as("answers that were not GraphQL").isEmpty();
            assertThat(after.values()).as("node b processes every segment after node a died").allMatch(o -> o.startsWith(nodeB));
            StoreFacts shared = StoreFacts.of(store.uri());
            checkExactlyOnce(shared, workload, "two-nodes");

            // Identical to one node: a single node rebuilding every projection from the store gets the same read models.
            try (ServerProcess single = ServerProcess.start(nodes, "node-single", Map.of("SPRING_MONGODB_URI", store.uri(),
                    "TRUSTLEDGER_REBUILD_PROJECTIONS", "true"))) {
                awaitRebuilt(single);
            }
            StoreFacts rebuilt = StoreFacts.of(store.uri());
            checkGivenCounts(shared, shared.readModels, "two nodes");
            checkGivenCounts(shared, rebuilt.readModels, "one node's rebuild");
            for (String model : StoreFacts.READ_MODELS) {
                assertThat(rebuilt.readModels.get(model)).as("read model " + model + " as one node rebuilds it")
                        .isEqualTo(shared.readModels.get(model));
            }
            System.out.printf("[two-nodes] %d read models built by two nodes (one killed) equal one node's rebuild%n",
                    StoreFacts.READ_MODELS.size());
        }
    }

    @Test
    void while_the_store_is_unreachable_commands_fail_with_a_retryable_error_and_the_server_recovers_by_itself()
            throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        try (StoreProcess store = StoreProcess.start(dir.resolve("store"), "faults-store");
             TcpProxy proxy = new TcpProxy(store.port)) {
            // Timeouts on the URI, as production should set them: fail within seconds, never hang a client
            // (long enough for a start-up on a busy machine: 3 s failed the node's start once under load).
            String uri = "mongodb://127.0.0.1:" + proxy.port() + "/trustledger?serverSelectionTimeoutMS=6000&connectTimeoutMS=3000";
            Workload workload;
            String healthDuring;
            String healthAfter;
            long recoveredMillis;
            try (ServerProcess node = ServerProcess.start(dir.resolve("node"), "faults-node", Map.of("SPRING_MONGODB_URI", uri))) {
                workload = new Workload("faults", node::port, node.port(), 2, seed);
                try {
                    Thread.sleep(4_000);
                    int acknowledgedBefore = workload.acknowledged.get();
                    proxy.cut();
                    long cutAt = System.nanoTime();
                    Thread.sleep(3_000);
                    healthDuring = health(node); // waits out the server-selection timeout of each store indicator
                    Thread.sleep(4_000);
                    System.out.printf("[faults] store unreachable for %d s: %d commands acknowledged before; during: %s%n",
                            (System.nanoTime() - cutAt) / 1_000_000_000L, acknowledgedBefore, workload.report());
                    int acknowledgedDuring = workload.acknowledged.get();
                    proxy.restore();
                    long restored = System.nanoTime();
                    while (workload.acknowledged.get() == acknowledgedDuring) {
                        assertThat(System.nanoTime() - restored).as("recovered within 60 s").isLessThan(60_000_000_000L);
                        Thread.sleep(100);
                    }
                    recoveredMillis = (System.nanoTime() - restored) / 1_000_000;
                    Thread.sleep(4_000);
                } finally {
                    workload.close();
                }
                awaitCaughtUp(node);
                healthAfter = health(node);
            }
            System.out.printf("[faults] seed %d; %s; first acknowledgement %d ms after the store came back;"
                    + " health during the outage: %s, after: %s%n", seed, workload.report(), recoveredMillis, summary(healthDuring),
                    summary(healthAfter));
            assertThat(workload.httpFailures).as("answers that were not GraphQL").isEmpty();
            assertThat(workload.errors).as("commands answered with a retryable error").containsKey("STORE_UNAVAILABLE");
            assertThat(workload.errors.keySet()).as("no other kind of error").isSubsetOf("STORE_UNAVAILABLE", "READ_MODEL_LAGGING");
            assertThat(JSON.readTree(healthDuring).path("status").asString()).as(healthDuring).isEqualTo("DOWN");
            assertThat(JSON.readTree(healthDuring).path("components").path("eventStore").path("status").asString())
                    .isEqualTo("DOWN");
            assertThat(JSON.readTree(healthAfter).path("status").asString()).as(healthAfter).isEqualTo("UP");
            checkExactlyOnce(StoreFacts.of(store.uri()), workload, "faults");
        }
    }

    /** Who holds each processor segment (processor/segment to owner), from the token store. */
    static Map<String, String> owners(String uri) {
        Map<String, String> owners = new TreeMap<>();
        try (MongoClient client = MongoClients.create(uri)) {
            client.getDatabase("trustledger").getCollection("tracking_tokens").find()
                    .forEach(d -> owners.put(d.getString("_id"), String.valueOf(d.getString("owner"))));
        }
        return owners;
    }

    private static Map<String, String> shortOwners(Map<String, String> owners, String nodeA, String nodeB) {
        Map<String, String> named = new TreeMap<>();
        owners.forEach((segment, owner) -> named.put(segment, owner.startsWith(nodeA) ? "a" : owner.startsWith(nodeB) ? "b" : owner));
        return named;
    }

    /** "DOWN (eventStore DOWN, processors DOWN)": the overall status and the store's own indicators. */
    private static String summary(String health) {
        JsonNode h = JSON.readTree(health);
        return h.path("status").asString() + " (eventStore " + h.path("components").path("eventStore").path("status").asString()
                + ", processors " + h.path("components").path("processors").path("status").asString() + ")";
    }

    private static String health(ServerProcess server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url("/actuator/health")))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    // ---- checks ---------------------------------------------------------------------------------

    /**
     * Every acknowledged command is in the store exactly once, nothing is there twice, no serial was
     * used twice, and every certificate a client received is recorded with the very bytes it got.
     */
    static void checkExactlyOnce(StoreFacts store, Workload workload, String label) {
        Map<String, Integer> registrations = store.countBy("MemberRegistered", p -> p.path("primaryEmail").asString());
        for (String email : workload.registered) {
            assertThat(registrations.get(email)).as("registration of " + email).isEqualTo(1);
        }
        assertThat(registrations.values()).as("no email registered twice").allMatch(n -> n == 1);
        Map<String, Integer> verifications = store.countBy("EmailVerified", p -> p.path("email").asString());
        for (String email : workload.verified) {
            assertThat(verifications.get(email)).as("verification of " + email).isEqualTo(1);
        }
        Map<String, Integer> assurances = store.countBy("AssuranceRecorded",
                p -> p.path("assurerId").asString() + ">" + p.path("assureeId").asString());
        for (String pair : workload.assured) {
            assertThat(assurances.get(pair)).as("assurance " + pair).isEqualTo(1);
        }
        assertThat(assurances.values()).as("no assurance recorded twice").allMatch(n -> n == 1);
        // In global order, each aggregate's visible events come in sequence order, without holes: a rebuild
        // reads in that order, and a projection skips an event older than one it applied.
        Map<String, Long> last = new HashMap<>();
        for (StoreFacts.Event e : store.events) {
            long previous = last.getOrDefault(e.aggregate(), -1L);
            assertThat(e.sequence()).as("%s: event %s after sequence %d of its aggregate", label, e, previous)
                    .isEqualTo(previous + 1);
            last.put(e.aggregate(), e.sequence());
        }
        // One command, one batch: each assurance stands in the assuree's stream and once in the assurer's.
        assertThat(store.countBy("AssuranceGiven", p -> p.path("assuranceId").asString()))
                .as("each assurance given once in the assurer's stream")
                .isEqualTo(store.countBy("AssuranceRecorded", p -> p.path("assuranceId").asString()));

        List<String> reserved = store.payloads("CertificateReserved").stream().map(p -> p.path("serial").asString()).toList();
        assertThat(new HashSet<>(reserved)).as("no serial reserved twice").hasSameSizeAs(reserved);
        Map<String, String> issued = new HashMap<>();
        for (JsonNode p : store.payloads("CertificateIssued")) {
            assertThat(issued.put(p.path("serial").asString(), p.path("pem").asString())).as("signed twice").isNull();
        }
        assertThat(reserved).as("every signed serial was reserved first").containsAll(issued.keySet());
        workload.certificates.forEach((serial, pem) ->
                assertThat(issued.get(serial)).as("certificate " + serial + " the client received").isEqualTo(pem));
        System.out.printf("[%s] store holds each of the %d acknowledged registrations, %d verifications, %d assurances"
                        + " and %d certificates exactly once; %d serials reserved, %d signed, none twice%n", label,
                workload.registered.size(), workload.verified.size(), workload.assured.size(),
                workload.certificates.size(), reserved.size(), issued.size());
    }

    /**
     * The member read model counts what the store holds: each member's {@code givenCount} is the number of
     * visible AssuranceGiven events in their stream. On a mismatch the message lists that member's events.
     */
    static void checkGivenCounts(StoreFacts store, Map<String, List<Document>> readModels, String label) {
        Map<String, Integer> given = new HashMap<>();
        store.events.stream().filter(e -> e.type().equals("AssuranceGiven")).forEach(e -> given.merge(e.aggregate(), 1, Integer::sum));
        for (Document member : readModels.get("member_view")) {
            String id = member.getString("_id");
            assertThat(member.getInteger("givenCount")).as("%s: givenCount of %s (%s), whose events are %s", label, id,
                    member.get("primaryEmail"), store.events.stream().filter(e -> e.aggregate().equals(id)).toList())
                    .isEqualTo(given.getOrDefault(id, 0));
        }
    }

    static List<String> reservedOnly(StoreFacts store) {
        Set<String> issued = new HashSet<>();
        store.payloads("CertificateIssued").forEach(p -> issued.add(p.path("serial").asString()));
        return store.payloads("CertificateReserved").stream().map(p -> p.path("serial").asString())
                .filter(s -> !issued.contains(s)).toList();
    }

    static final String STATUS = "{ projectionStatus { name running replaying caughtUp } }";

    /**
     * Waits until every projection of the server has processed the whole store. (After a rebuild Axon
     * keeps a processor flagged as replaying until a new event passes the reset point; caught up is
     * what counts.)
     */
    static void awaitCaughtUp(ServerProcess server) throws InterruptedException {
        GraphQlHttp support = server.graphQl().support();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            status = support.data(STATUS, Map.of()).get("projectionStatus");
            boolean done = true;
            for (JsonNode p : status) {
                done &= p.path("caughtUp").asBoolean();
            }
            if (done && !status.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("projections did not catch up within 60 s: " + status);
    }

    /** After a start with the rebuild switch: waits for the rebuild to begin, then to finish. */
    static void awaitRebuilt(ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!server.logged("Rebuild under way")) {
            assertThat(System.nanoTime()).as("rebuild started").isLessThan(deadline);
            Thread.sleep(50);
        }
        awaitCaughtUp(server);
    }
}
