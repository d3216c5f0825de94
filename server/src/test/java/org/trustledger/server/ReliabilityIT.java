package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Failure behaviour of the packaged server, each test bounded in time and printing what it checked:
 * SIGKILL at random moments under a stream of commands, two nodes on one store with one of them
 * killed, and the store going away for a while. The ground truth is always the event store itself,
 * read from the store after the servers are gone, never the server under test.
 */
class ReliabilityIT {

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
        for (String model : StoreFacts.READ_MODELS) {
            assertThat(replayed.readModels.get(model)).as("read model " + model + " rebuilt from scratch")
                    .isEqualTo(incremental.readModels.get(model));
        }
        System.out.printf("[crash] store: %d visible events, %d events of batches abandoned by a kill (invisible);"
                        + " %d read models equal to a rebuild from scratch (%d documents)%n", incremental.events.size(),
                incremental.abandoned, StoreFacts.READ_MODELS.size(),
                incremental.readModels.values().stream().mapToInt(List::size).sum());
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
