package org.trustledger.server.live;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.stream.BlockingStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The ledger as a live feed: one reader per node tails the event store from its head (so it sees
 * every node's events, in the global order) and fans them out to subscribers. Slow subscribers drop
 * events rather than hold the others back; nothing is replayed to late subscribers.
 */
@Component
public class LiveLedger implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveLedger.class);
    private final EventStore eventStore;
    private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();
    private volatile boolean running;
    private Thread reader;

    /** One recorded event, as subscribers see it (no payload: payloads carry personal data and hashes). */
    public record LiveEvent(String type, String aggregateType, String aggregateId, long sequence, Instant recordedAt) {
    }

    public LiveLedger(EventStore eventStore) {
        this.eventStore = eventStore;
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
                    if (m instanceof DomainEventMessage<?> d) {
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
