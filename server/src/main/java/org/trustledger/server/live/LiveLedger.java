package org.trustledger.server.live;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.stream.BlockingStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.OrganisationProjection;
import org.trustledger.server.config.TrustLedgerProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The ledger as a live feed: one reader per node tails the event store from its head (so it sees
 * every node's events, in the global order) and fans them out to subscribers. Slow subscribers drop
 * events rather than hold the others back; nothing is replayed to late subscribers.
 *
 * <p>An event is handed out only once the read model that shows it has applied it (members,
 * organisations, certificates; waited for at most the read-model wait), so a subscriber that queries
 * when an event arrives sees that event's effect. A page that redraws on each event would otherwise
 * redraw from a projection a few milliseconds behind, and miss the change until the next event.
 */
@Component
public class LiveLedger implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveLedger.class);
    private final EventStore eventStore;
    private final Map<String, ToLongFunction<String>> applied;
    private final Duration wait;
    private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();
    private volatile boolean running;
    /** The read models were found far behind: hand events out without waiting (reader thread only). */
    private boolean lagging;
    private Thread reader;

    /** One recorded event, as subscribers see it (no payload: payloads carry personal data and hashes). */
    public record LiveEvent(String type, String aggregateType, String aggregateId, long sequence, Instant recordedAt) {
    }

    public LiveLedger(EventStore eventStore, MemberReadModel members, OrganisationProjection organisations,
                      CertificateRegister certificates, TrustLedgerProperties props) {
        this.eventStore = eventStore;
        this.applied = Map.of("Member", members::lastSequence, "Organisation", organisations::lastSequence,
                "CertificateRequest", certificates::lastSequence);
        this.wait = props.readModelWait();
    }

    public Flux<LiveEvent> events() {
        return sink.asFlux();
    }

    @Override
    public void start() {
        running = true;
        reader = new Thread(this::tail, "live-ledger");
        reader.setDaemon(true);
        reader.start();
    }

    private void tail() {
        while (running) {
            try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(eventStore.createHeadToken())) {
                while (running) {
                    if (!stream.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    TrackedEventMessage<?> m = stream.nextAvailable();
                    // Nobody listening: nothing to hold back or hand out (a read-model lookup per event saved).
                    if (m instanceof DomainEventMessage<?> d && sink.currentSubscriberCount() > 0) {
                        awaitReadModel(d);
                        sink.tryEmitNext(new LiveEvent(d.getPayloadType().getSimpleName(), d.getType(),
                                d.getAggregateIdentifier(), d.getSequenceNumber(), d.getTimestamp()));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Live ledger feed interrupted ({}); reopening from the head", e.toString());
                    sleepQuietly();
                }
            }
        }
    }

    /**
     * Holds the event back until its read model has applied it, or the read-model wait has passed. Once a
     * wait has run out (a rebuild, a long outage: the read model is far behind), events are handed out at
     * once until one is found already applied, so that the feed never falls further behind the ledger.
     */
    private void awaitReadModel(DomainEventMessage<?> d) throws InterruptedException {
        ToLongFunction<String> seen = applied.get(d.getType());
        if (seen == null) {
            return;
        }
        if (lagging) {
            lagging = seen.applyAsLong(d.getAggregateIdentifier()) < d.getSequenceNumber();
            return;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long sleep = 1;
        while (running && seen.applyAsLong(d.getAggregateIdentifier()) < d.getSequenceNumber()) {
            if (System.nanoTime() > deadline) {
                log.info("The read models are more than {} behind the ledger; live events are handed out without"
                        + " waiting for them until they catch up", wait);
                lagging = true;
                return;
            }
            Thread.sleep(sleep);
            sleep = Math.min(20, sleep * 2);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (reader != null) {
            reader.interrupt();
        }
        sink.tryEmitComplete();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100; // after Axon has started the event store
    }
}
