package org.trustledger.server.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.trustledger.issuance.api.CertificateIssued;
import org.trustledger.issuance.api.CertificateRequestRefused;
import org.trustledger.ledger.api.AssuranceRefused;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.eventstore.MongoEventStorageEngine;
import org.trustledger.server.rebuild.ProjectionRebuild;

/**
 * Prometheus metrics of this node: commands handled (by type), events each processor still has to
 * apply (lag), certificates issued and refusals by code; and the health of the event store and the
 * processors (a processor that stopped is DOWN).
 */
@Component
public class OperationsMetrics implements SmartLifecycle {

    private final MeterRegistry registry;
    private final CommandBus commandBus;
    private final EventStore eventStore;
    private final ProjectionRebuild processors;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile boolean running;

    public OperationsMetrics(MeterRegistry registry, CommandBus commandBus, EventStore eventStore,
                             ProjectionRebuild processors) {
        this.registry = registry;
        this.commandBus = commandBus;
        this.eventStore = eventStore;
        this.processors = processors;
    }

    @Override
    public void start() {
        commandBus.registerDispatchInterceptor(messages -> (i, m) -> {
            counter("trustledger.commands", "command", m.getPayloadType().getSimpleName()).increment();
            return m;
        });
        // Refusals the ledger throws (registration, roles, arbitration, challenges, TTP...); assurance and
        // certificate refusals are recorded as events instead and counted from those below.
        commandBus.registerHandlerInterceptor((unitOfWork, chain) -> {
            try {
                return chain.proceed();
            } catch (LedgerRefusal r) {
                counter("trustledger.refusals", "code", r.code().name()).increment();
                throw r;
            }
        });
        eventStore.subscribe(events -> events.forEach(e -> {
            Object p = e.getPayload();
            if (p instanceof CertificateIssued c) {
                counter("trustledger.certificates.issued", "issuer", c.issuer().name()).increment();
            } else if (p instanceof CertificateRequestRefused r) {
                counter("trustledger.refusals", "code", r.code().name()).increment();
            } else if (p instanceof AssuranceRefused r) {
                counter("trustledger.refusals", "code", r.code().name()).increment();
            }
        }));
        for (ProjectionRebuild.Status s : processors.status()) {
            Gauge.builder("trustledger.processor.lag", () -> lag(s.name())).tag("processor", s.name())
                    .description("Events the processor has yet to apply").register(registry);
        }
        running = true;
    }

    private double lag(String name) {
        return processors.status().stream().filter(s -> s.name().equals(name)).findFirst()
                .map(s -> (double) Math.max(0, s.head() - (s.position() == null ? 0 : s.position()))).orElse(0.0);
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + "|" + value, k -> Counter.builder(name).tag(tag, value).register(registry));
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Health of the event store: its head can be read. */
    @Component("eventStore")
    public static class EventStoreHealth implements HealthIndicator {
        private final MongoEventStorageEngine store;

        public EventStoreHealth(MongoEventStorageEngine store) {
            this.store = store;
        }

        @Override
        public Health health() {
            try {
                return Health.up().withDetail("head", store.headIndex()).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
            }
        }
    }

    /** Health of the event processors: each running, with its lag behind the head. */
    @Component("processors")
    public static class ProcessorsHealth implements HealthIndicator {
        private final ProjectionRebuild processors;

        public ProcessorsHealth(ProjectionRebuild processors) {
            this.processors = processors;
        }

        @Override
        public Health health() {
            List<ProjectionRebuild.Status> all;
            try {
                all = processors.status();
            } catch (RuntimeException e) {
                return Health.down().withDetail("error", e.getClass().getSimpleName()).build(); // the store is away
            }
            Health.Builder b = all.stream().allMatch(ProjectionRebuild.Status::running) ? Health.up() : Health.down();
            for (ProjectionRebuild.Status s : all) {
                b.withDetail(s.name(), java.util.Map.of("running", s.running(), "lag",
                        Math.max(0, s.head() - (s.position() == null ? 0 : s.position()))));
            }
            return b.build();
        }
    }
}
