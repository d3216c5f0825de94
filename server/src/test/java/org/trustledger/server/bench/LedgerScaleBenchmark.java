package org.trustledger.server.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecogniseFoundingAssurerCommand;
import org.trustledger.ledger.api.RecordAssuranceCommand;
import org.trustledger.ledger.eventstore.MongoEventStorageEngine;
import org.trustledger.query.MemberReadModel;
import org.trustledger.server.Args;
import org.trustledger.server.TrustLedgerApplication;

/**
 * Load driver: does the ledger slow down as it grows? Runs the whole application on the embedded
 * default (H2 file, commit after every write) and measures the hot paths at a small and a large
 * ledger in the same run, printing each figure and the ratio large/small (1.0 = no degradation).
 *
 * <p>Not part of the test suite. Run it with:
 * <pre>mvn -B -pl server -am test -Dtest=LedgerScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Options: {@code -Dbench.small=10000 -Dbench.large=300000 -Dbench.storage=file|memory}.
 * The ledger is grown with registrations written straight to the event store in batches of 1,000
 * (the projections process them like any other event); measured commands go through Axon.
 */
class LedgerScaleBenchmark {

    static final String[] FOUNDERS = {"alice@founders.example", "bob@founders.example", "carol@founders.example"};
    final Random random = new Random(42);
    int bulkMembers;
    int round;

    record Figures(long events, double commandsPerSecond, double catchUpEventsPerSecond, double emptyPollMs,
                   double readModelLookupMs, double founderLoadMs) {
    }

    @Test
    void command_throughput_and_polling_at_a_small_and_a_large_ledger() throws Exception {
        int small = Integer.getInteger("bench.small", 10_000);
        int large = Integer.getInteger("bench.large", 300_000);
        String storage = System.getProperty("bench.storage", "file");
        TrustLedgerApplication.quietAxon();
        Path dataDir = Files.createTempDirectory("trust-ledger-bench");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TrustLedgerApplication.class)
                .run(Args.of(Map.of("server.port", "0", "trustledger.data-dir", dataDir.toString(),
                        "trustledger.embedded.storage", storage, "trustledger.passphrase-hash-cost", "4",
                        "trustledger.genesis.file", "src/test/resources/genesis-test.json",
                        "logging.level.root", "WARN")))) {
            growTo(app, small / 2);
            measure(app); // warm-up round: JIT, caches and snapshots; its figures are discarded
            growTo(app, small);
            Figures atSmall = measure(app);
            growTo(app, large);
            Figures atLarge = measure(app);
            print(storage, atSmall, atLarge);
        }
    }

    private void growTo(ConfigurableApplicationContext app, long target) throws InterruptedException {
        MongoEventStorageEngine engine = app.getBean(MongoEventStorageEngine.class);
        EventStore store = app.getBean(EventStore.class);
        while (engine.headIndex() < target) {
            int n = (int) Math.min(1000, target - engine.headIndex());
            List<EventMessage<?>> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = "bulk-" + bulkMembers;
                batch.add(new GenericDomainEventMessage<>("Member", id, 0, new MemberRegistered(id,
                        new PersonName("Bulk", null, "Member " + bulkMembers, null), LocalDate.of(1980, 1, 1),
                        "bulk" + bulkMembers + "@bench.example", "-", List.of(), Instant.now())));
                bulkMembers++;
            }
            store.publish(batch);
        }
        awaitProjection(app);
    }

    /** Waits until the member projection has applied every event in the store. */
    private void awaitProjection(ConfigurableApplicationContext app) throws InterruptedException {
        MemberReadModel readModel = app.getBean(MemberReadModel.class);
        MongoEventStorageEngine engine = app.getBean(MongoEventStorageEngine.class);
        long head = engine.headIndex();
        long last = -1;
        long stableSince = System.nanoTime();
        while (true) {
            long applied = readModel.appliedEvents();
            if (applied != last) {
                last = applied;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 2_000_000_000L) {
                return; // nothing more to apply (refusal events are not member-projection events)
            }
            if (applied >= head) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private Figures measure(ConfigurableApplicationContext app) throws InterruptedException {
        CommandGateway commands = app.getBean(CommandGateway.class);
        MongoEventStorageEngine engine = app.getBean(MongoEventStorageEngine.class);
        MemberReadModel readModel = app.getBean(MemberReadModel.class);
        List<String> founderIds = FOUNDERS.length == 3
                ? List.of(readModel.memberByEmail(FOUNDERS[0]).orElseThrow().id(),
                        readModel.memberByEmail(FOUNDERS[1]).orElseThrow().id(),
                        readModel.memberByEmail(FOUNDERS[2]).orElseThrow().id())
                : List.of();
        round++;
        // 1. Command throughput: face-to-face assurances (two aggregates loaded, two events appended).
        // Measured with the processors paused, so that the write path is measured alone and not the
        // share of two cores the projections happen to leave it; median of three rounds.
        List<Double> rounds = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            List<String> emails = assurees(commands, 150);
            EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
            processing.eventProcessors().values().forEach(EventProcessor::shutDown);
            long start = System.nanoTime();
            int sent = 0;
            for (String founder : founderIds) {
                for (String email : emails) {
                    send(commands, founder, email);
                    sent++;
                }
            }
            rounds.add(sent / seconds(start));
            processing.eventProcessors().values().forEach(EventProcessor::start);
            awaitProjection(app);
        }
        rounds.sort(Double::compare);
        double commandsPerSecond = rounds.get(1);

        // 2. Catch-up polling: read the last 5,000 events as a processor behind by that much would.
        long head = engine.headIndex();
        TrackingToken from = GapAwareTrackingToken.newInstance(head - 5000, List.of());
        long start = System.nanoTime();
        long read = engine.readEvents(from, false).count();
        double catchUp = read / seconds(start);

        // 3. An empty poll at the head, as an idle processor makes all the time.
        TrackingToken atHead = engine.createHeadToken();
        start = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            engine.readEvents(atHead, false).count();
        }
        double emptyPollMs = millis(start) / 300;

        // 4. A read-model lookup by email (GraphQL memberByEmail).
        start = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            readModel.memberByEmail("bulk" + random.nextInt(bulkMembers) + "@bench.example").orElseThrow();
        }
        double lookupMs = millis(start) / 500;

        // 5. Loading a busy aggregate (a founder with hundreds of events): snapshot plus tail.
        start = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            String id = founderIds.get(i % 3);
            long from2 = engine.readSnapshot(id).map(DomainEventMessage::getSequenceNumber).orElse(-1L) + 1;
            engine.readEvents(id, from2).asStream().count();
        }
        double founderLoadMs = millis(start) / 200;
        return new Figures(engine.headIndex(), commandsPerSecond, catchUp, emptyPollMs, lookupMs, founderLoadMs);
    }

    /** Verified members to assure, made outside the measurement (genesis-style: verified at once). */
    private List<String> assurees(CommandGateway commands, int count) {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String email = "assuree" + (round++) + "@bench.example";
            commands.sendAndWait(new RecogniseFoundingAssurerCommand(UUID.randomUUID().toString(),
                    new PersonName("Assu", null, "Ree", null), LocalDate.of(1990, 1, 1), email, "bench passphrase", "bench", java.util.List.of()));
            emails.add(email);
        }
        return emails;
    }

    private static void send(CommandGateway commands, String assurer, String email) {
        AssuranceOutcome out = commands.sendAndWait(new RecordAssuranceCommand(UUID.randomUUID().toString(), assurer,
                email, LocalDate.of(1990, 1, 1), LocalDate.now(), "Benchmark hall", 10, List.of("passport"), true, true));
        if (!out.isRecorded()) {
            throw new IllegalStateException(out.refusalCode() + ": " + out.refusalMessage());
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void print(String storage, Figures s, Figures l) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%ntrust-ledger scale benchmark (embedded storage: %s, %d cores)%n",
                storage, Runtime.getRuntime().availableProcessors()));
        out.append(String.format(Locale.ROOT, "%-40s %14s %14s %10s%n", "", "events " + s.events(), "events " + l.events(),
                "large/small"));
        row(out, "assurance commands per second", s.commandsPerSecond(), l.commandsPerSecond());
        row(out, "catch-up poll, events per second", s.catchUpEventsPerSecond(), l.catchUpEventsPerSecond());
        row(out, "empty poll at the head, ms", s.emptyPollMs(), l.emptyPollMs());
        row(out, "read model memberByEmail, ms", s.readModelLookupMs(), l.readModelLookupMs());
        row(out, "busy aggregate load (snapshot+tail), ms", s.founderLoadMs(), l.founderLoadMs());
        System.out.println(out);
    }

    private static void row(StringBuilder out, String name, double small, double large) {
        out.append(String.format(Locale.ROOT, "%-40s %14.2f %14.2f %10.2f%n", name, small, large, large / small));
    }
}
