package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.AssuranceRecorded;
import org.trustledger.ledger.api.AssurerChallengePassed;
import org.trustledger.ledger.api.AssuranceVoided;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.RecordAssuranceCommand;
import org.trustledger.ledger.api.TtpAssuranceRecorded;
import org.trustledger.ledger.rules.PointsRules;

/**
 * The generated web of trust: deterministic from its seed, shaped like a real community (power-law
 * assurer activity, every stage of membership, TTP assurances, voidings), and made of events the real
 * ledger accepts: the aggregates loaded from them take further commands, and every award obeys the
 * rules at the moment it was made, as an independent replay of the events checks.
 */
class WebOfTrustGeneratorTest {

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(TrustLedgerApplication.class).run(Args.of(Map.of("server.port", "0",
                "trustledger.embedded.storage", "memory", "trustledger.passphrase-hash-cost", "4",
                "trustledger.demo.members", "2500", "trustledger.demo.seed", "7")));
    }

    static List<EventMessage<?>> ledger(ConfigurableApplicationContext app) throws InterruptedException {
        List<EventMessage<?>> all = new ArrayList<>();
        try (var stream = app.getBean(EventStore.class).openStream(null)) {
            while (stream.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
                all.add(stream.nextAvailable());
            }
        }
        return all;
    }

    @Test
    void the_same_seed_gives_the_same_web_and_every_award_obeys_the_rules_of_its_moment() throws Exception {
        List<String> first;
        try (ConfigurableApplicationContext app = start()) {
            List<EventMessage<?>> events = ledger(app);
            first = fingerprint(events);
            Map<String, Integer> byType = new HashMap<>();
            events.forEach(e -> byType.merge(e.getPayloadType().getSimpleName(), 1, Integer::sum));
            assertThat(byType.get("MemberRegistered")).isEqualTo(2500 + 21);
            assertThat(byType.get("AssuranceRecorded")).isGreaterThan(2500);
            assertThat(byType.get("AssurerChallengePassed")).isPositive();
            assertThat(byType.get("TtpAssuranceRecorded")).isPositive();
            assertThat(byType.get("AssuranceVoided")).isPositive();
            replayRules(events);

            // Power law: the busiest assurer makes far more assurances than the typical one.
            Map<String, Integer> given = new HashMap<>();
            events.stream().filter(e -> e.getPayload() instanceof AssuranceRecorded)
                    .forEach(e -> given.merge(((AssuranceRecorded) e.getPayload()).assurerId(), 1, Integer::sum));
            List<Integer> counts = given.values().stream().sorted().toList();
            assertThat(counts.get(counts.size() - 1)).isGreaterThan(10 * counts.get(counts.size() / 2));

            // The projections take it in whole: every generated member in the read model, with the points
            // the events give them.
            org.trustledger.query.MemberReadModel members = app.getBean(org.trustledger.query.MemberReadModel.class);
            List<String> ids = events.stream().filter(e -> e.getPayload() instanceof MemberRegistered)
                    .map(e -> ((MemberRegistered) e.getPayload()).memberId()).toList();
            long deadline = System.nanoTime() + 60_000_000_000L;
            String last = ids.get(ids.size() - 1);
            while (members.lastSequence(last) < 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            for (String id : ids) {
                assertThat(members.member(id)).as("member " + id + " projected").isPresent();
            }

            // The real ledger takes it on: a generated Assurer records an assurance through the real command,
            // loaded from the generated events, judged by the experience they have there.
            String assurer = events.stream().filter(e -> e.getPayload() instanceof AssurerChallengePassed)
                    .map(e -> ((AssurerChallengePassed) e.getPayload()).memberId()).findFirst().orElseThrow();
            java.util.Set<String> assured = new java.util.HashSet<>();
            events.stream().filter(e -> e.getPayload() instanceof AssuranceRecorded || e.getPayload() instanceof TtpAssuranceRecorded)
                    .forEach(e -> assured.add(((DomainEventMessage<?>) e).getAggregateIdentifier()));
            MemberRegistered newcomer = events.stream().filter(e -> e.getPayload() instanceof MemberRegistered r
                    && !assured.contains(r.memberId())).map(e -> (MemberRegistered) e.getPayload()).findFirst().orElseThrow();
            AssuranceOutcome outcome = app.getBean(CommandGateway.class).sendAndWait(new RecordAssuranceCommand(
                    UUID.randomUUID().toString(), assurer, newcomer.primaryEmail(), newcomer.dateOfBirth(),
                    java.time.LocalDate.now(), "Amsterdam", 10, List.of("passport"), true, true));
            assertThat(outcome.isRecorded()).as(String.valueOf(outcome.refusalCode())).isTrue();
        }
        try (ConfigurableApplicationContext again = start()) {
            assertThat(fingerprint(ledger(again))).as("the same seed, the same web").isEqualTo(first);
        }
    }

    /** What must not vary between two generations with one seed: who, in which stream, what was awarded. */
    static List<String> fingerprint(List<EventMessage<?>> events) {
        List<String> result = new ArrayList<>();
        for (EventMessage<?> e : events) {
            DomainEventMessage<?> d = (DomainEventMessage<?>) e;
            String detail = e.getPayload() instanceof AssuranceRecorded a ? a.assurerId() + ":" + a.points() + ":" + a.counted() : "";
            result.add(d.getAggregateIdentifier() + "#" + d.getSequenceNumber() + " " + e.getPayloadType().getSimpleName() + " " + detail);
        }
        return result;
    }

    /**
     * Replays the events in order with the rules of DOMAIN.md section 2: each award within the assurer's
     * maximum for the EP they had at that moment, what counted right for the assuree's AP before it.
     */
    static void replayRules(List<EventMessage<?>> events) {
        Map<String, List<Integer>> counted = new HashMap<>();
        Map<String, Integer> given = new HashMap<>();
        Map<String, Integer> granted = new HashMap<>();
        Map<String, java.time.LocalDate> born = new HashMap<>();
        int checked = 0;
        for (EventMessage<?> e : events) {
            Object p = e.getPayload();
            if (p instanceof MemberRegistered r) {
                born.put(r.memberId(), r.dateOfBirth());
            } else if (p instanceof org.trustledger.ledger.api.FoundingAssurerRecognised f) {
                granted.put(f.memberId(), f.experiencePoints());
                counted.computeIfAbsent(f.memberId(), k -> new ArrayList<>()).add(f.assurancePoints());
            } else if (p instanceof AssuranceRecorded a) {
                List<Integer> assurerAwards = counted.getOrDefault(a.assurerId(), List.of());
                int assurerAp = PointsRules.assurancePoints(assurerAwards, 0);
                int age = PointsRules.age(born.get(a.assurerId()), a.date());
                int ep = PointsRules.experiencePoints(given.getOrDefault(a.assurerId(), 0), granted.getOrDefault(a.assurerId(), 0),
                        assurerAp, age);
                assertThat(assurerAp).as("assurer of " + a.assuranceId() + " has 100 AP").isEqualTo(100);
                assertThat(a.points()).as("award " + a.assuranceId()).isLessThanOrEqualTo(PointsRules.maxAward(ep, age));
                List<Integer> mine = counted.computeIfAbsent(a.assureeId(), k -> new ArrayList<>());
                assertThat(a.counted()).isEqualTo(PointsRules.countedPoints(a.points(), PointsRules.assurancePoints(mine, 0)));
                mine.add(a.counted());
                given.merge(a.assurerId(), 1, Integer::sum);
                checked++;
            } else if (p instanceof TtpAssuranceRecorded t) {
                counted.computeIfAbsent(t.assureeId(), k -> new ArrayList<>()).add(t.counted());
            } else if (p instanceof AssuranceVoided v && e instanceof DomainEventMessage<?> d
                    && d.getAggregateIdentifier().equals(v.assurerId())) {
                given.merge(v.assurerId(), -1, Integer::sum);
            }
        }
        assertThat(checked).isPositive();
    }
}
