package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.trustledger.query.MemberReadModel;
import tools.jackson.databind.JsonNode;

/**
 * The embedded default on a file: data survives a restart, projections resume where they stopped
 * (nothing applied twice), genesis records nothing new, a rebuild by replay equals the state built
 * incrementally, and processors made with fewer segments than configured are split up to it.
 */
class RestartAndRebuildTest {

    static final String[] FOUNDERS = {"alice@founders.example", "bob@founders.example", "carol@founders.example"};

    @TempDir
    Path dataDir;

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    ConfigurableApplicationContext start() {
        return start(false);
    }

    ConfigurableApplicationContext start(boolean rebuild) {
        return start(Map.of("trustledger.rebuild-projections", rebuild));
    }

    ConfigurableApplicationContext start(Map<String, ?> settings) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of(
                "server.port", "0",
                "trustledger.data-dir", dataDir.toString(),
                "trustledger.dev-mode", "true",
                "trustledger.passphrase-hash-cost", "4",
                "trustledger.genesis.file", "src/test/resources/genesis-test.json"));
        all.putAll(settings);
        return new SpringApplicationBuilder(TrustLedgerApplication.class).run(Args.of(all));
    }

    static GraphQlHttp client(ConfigurableApplicationContext ctx) {
        return new GraphQlHttp(((WebServerApplicationContext) ctx).getWebServer().getPort());
    }

    static void awaitApplied(MemberReadModel readModel, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (readModel.appliedEvents() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(readModel.appliedEvents()).isEqualTo(expected);
    }

    @Test
    void data_survives_a_restart_and_projections_resume_without_replaying() throws Exception {
        String email = "grace@example.org";
        long applied;
        long founderEvents;
        try (ConfigurableApplicationContext first = start()) {
            GraphQlHttp api = client(first);
            api.registerAndVerify(email, "1980-06-06");
            for (String f : FOUNDERS) {
                JsonNode out = api.as(f).data(GraphQlHttp.ASSURE, Map.of("input", GraphQlHttp.assurance(api.memberId(f), email, "1980-06-06", 35)));
                assertThat(out.get("recordAssurance").get("error").isNull()).isTrue();
            }
            applied = first.getBean(MemberReadModel.class).appliedEvents();
            founderEvents = first.getBean(EventStore.class).lastSequenceNumberFor(api.memberId(FOUNDERS[0])).orElseThrow();
        }

        try (ConfigurableApplicationContext second = start()) {
            GraphQlHttp api = client(second);
            JsonNode grace = api.support().data(GraphQlHttp.MEMBER, Map.of("email", email)).get("memberByEmail");
            assertThat(grace.get("points").get("assurance").asInt()).isEqualTo(100);
            assertThat(grace.get("assurancesReceived").get("totalCount").asInt()).isEqualTo(3);
            // Genesis read the same file again and recorded nothing new.
            assertThat(second.getBean(EventStore.class).lastSequenceNumberFor(api.memberId(FOUNDERS[0])))
                    .contains(founderEvents);
            // A new write goes through the running projection: afterwards exactly its two events were
            // applied on top of the count before the restart, so nothing was replayed.
            api.data(GraphQlHttp.REGISTER, Map.of("input", GraphQlHttp.registration("second@example.org", "1985-01-01")));
            awaitApplied(second.getBean(MemberReadModel.class), applied + 2);
            assertThat(api.support().data(GraphQlHttp.OUTBOX, Map.of("to", email)).get("devOutbox")).hasSize(1);
        }
    }

    @Test
    void processors_created_with_one_segment_are_split_to_the_configured_two_without_replaying() throws Exception {
        String email = "split@example.org";
        long applied;
        List<Document> members;
        List<Document> timeline;
        try (ConfigurableApplicationContext first = start(Map.of(
                "axon.eventhandling.processors.members.initial-segment-count", 1,
                "axon.eventhandling.processors.history.initial-segment-count", 1))) {
            GraphQlHttp api = client(first);
            api.registerAndVerify(email, "1981-07-07");
            api.as(FOUNDERS[0]).data(GraphQlHttp.ASSURE, Map.of("input", GraphQlHttp.assurance(api.memberId(FOUNDERS[0]), email, "1981-07-07", 35)));
            TokenStore tokens = first.getBean(TokenStore.class);
            assertThat(tokens.fetchSegments("members")).containsExactly(0);
            assertThat(tokens.fetchSegments("history")).containsExactly(0);
            applied = first.getBean(MemberReadModel.class).appliedEvents();
            members = all(first.getBean(MongoDatabase.class), "member_view");
            timeline = all(first.getBean(MongoDatabase.class), "member_timeline");
        }

        try (ConfigurableApplicationContext second = start(Map.of())) { // the configured two segments
            TokenStore tokens = second.getBean(TokenStore.class);
            EventProcessingConfiguration processing = second.getBean(EventProcessingConfiguration.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (String name : List.of("members", "history")) {
                StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
                while ((tokens.fetchSegments(name).length < 2 || processor.processingStatus().size() < 2)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(tokens.fetchSegments(name)).as(name).containsExactly(0, 1);
                assertThat(processor.processingStatus()).as(name).hasSize(2);
            }
            // Both segments went on from where the one stopped: nothing was applied again.
            MongoDatabase db = second.getBean(MongoDatabase.class);
            MemberReadModel readModel = second.getBean(MemberReadModel.class);
            assertThat(readModel.appliedEvents()).isEqualTo(applied);
            assertThat(all(db, "member_view")).isEqualTo(members);
            assertThat(all(db, "member_timeline")).isEqualTo(timeline);
            // New members' events are applied once each, whichever segment holds them.
            GraphQlHttp api = client(second);
            for (int m = 0; m < 6; m++) {
                api.data(GraphQlHttp.REGISTER, Map.of("input", GraphQlHttp.registration("after" + m + "@example.org", "1985-01-0" + (m + 1))));
            }
            awaitApplied(readModel, applied + 12);
            for (int m = 0; m < 6; m++) {
                assertThat(api.support().data(GraphQlHttp.MEMBER, Map.of("email", "after" + m + "@example.org"))
                        .get("memberByEmail").isNull()).as("member %d", m).isFalse();
            }
            Thread.sleep(500);
            assertThat(readModel.appliedEvents()).isEqualTo(applied + 12);
        }
    }

    @Test
    void a_rebuild_by_replay_equals_the_incremental_state() throws Exception {
        try (ConfigurableApplicationContext ctx = start()) {
            GraphQlHttp api = client(ctx);
            for (int m = 0; m < 3; m++) {
                String email = "member" + m + "@example.org";
                api.registerAndVerify(email, "1980-06-0" + (m + 1));
                for (int f = 0; f <= m; f++) {
                    api.as(FOUNDERS[f]).data(GraphQlHttp.ASSURE, Map.of("input",
                            GraphQlHttp.assurance(api.memberId(FOUNDERS[f]), email, "1980-06-0" + (m + 1), 30 + f)));
                }
            }
            MongoDatabase db = ctx.getBean(MongoDatabase.class);
            MemberReadModel readModel = ctx.getBean(MemberReadModel.class);
            List<Document> members = all(db, "member_view");
            List<Document> assurances = all(db, "assurance_view");
            long applied = readModel.appliedEvents();

            StreamingEventProcessor processor = ctx.getBean(EventProcessingConfiguration.class)
                    .eventProcessor("members", StreamingEventProcessor.class).orElseThrow();
            processor.shutDown();
            processor.resetTokens();
            processor.start();
            awaitApplied(readModel, applied);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (processor.isReplaying() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(all(db, "member_view")).isEqualTo(members);
            assertThat(all(db, "assurance_view")).isEqualTo(assurances);
        }
    }

    @Test
    void the_start_up_switch_rebuilds_every_projection_to_the_same_state() throws Exception {
        List<Document> members;
        List<Document> timeline;
        try (ConfigurableApplicationContext first = start()) {
            GraphQlHttp api = client(first);
            String email = "switch@example.org";
            api.registerAndVerify(email, "1975-05-05");
            api.as(FOUNDERS[0]).data(GraphQlHttp.ASSURE, Map.of("input", GraphQlHttp.assurance(api.memberId(FOUNDERS[0]), email, "1975-05-05", 20)));
            members = all(first.getBean(MongoDatabase.class), "member_view");
            timeline = all(first.getBean(MongoDatabase.class), "member_timeline");
            // Damage the read model behind the projection's back: only a rebuild can bring it back.
            first.getBean(MongoDatabase.class).getCollection("member_view").deleteMany(new Document());
        }
        try (ConfigurableApplicationContext second = start(true)) {
            MongoDatabase db = second.getBean(MongoDatabase.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            awaitEqual(db, "member_view", members, deadline);
            assertThat(all(db, "member_view")).isEqualTo(members);
            awaitEqual(db, "member_timeline", timeline, deadline);
            assertThat(all(db, "member_timeline")).isNotEmpty().isEqualTo(timeline);
            // The reset drops the read models' collections: the certificates' index by member is back.
            assertThat(db.getCollection("certificates").listIndexes().map(i -> i.getString("name")).into(new ArrayList<>()))
                    .contains("by_member");
            assertThat(second.getBean(org.trustledger.server.rebuild.ProjectionRebuild.class).status())
                    .extracting(org.trustledger.server.rebuild.ProjectionRebuild.Status::name).contains("members", "history");
        }
    }

    static void awaitEqual(MongoDatabase db, String collection, List<Document> expected, long deadline)
            throws InterruptedException {
        while (!all(db, collection).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    static List<Document> all(MongoDatabase db, String collection) {
        return db.getCollection(collection).find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }
}
