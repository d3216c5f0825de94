package org.trustledger.server.rebuild;

import org.trustledger.query.ProjectionProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.trustledger.ledger.eventstore.MongoEventStorageEngine;
import org.trustledger.server.config.WakeableEventStore;
import org.trustledger.issuance.RevocationOrders;
import org.trustledger.query.MailOutbox;

/**
 * Rebuilds every projection from the event store: each streaming processor is stopped, its tokens
 * reset (its {@code @ResetHandler} clears its read model), and started again to replay. The mail
 * outbox and the revocation orders are left alone: a rebuild must not mail anyone or revoke anything
 * again. Started by the admin mutation or by
 * {@code --trustledger.rebuild-projections=true} at start-up.
 */
@Component
public class ProjectionRebuild implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuild.class);
    private final EventProcessingConfiguration processing;
    private final MongoEventStorageEngine store;
    private final Environment environment;
    private final ProjectionProgress progress;
    private final WakeableEventStore eventStore;

    public ProjectionRebuild(EventProcessingConfiguration processing, MongoEventStorageEngine store,
                             Environment environment, ProjectionProgress progress, WakeableEventStore eventStore) {
        this.processing = processing;
        this.progress = progress;
        this.store = store;
        this.environment = environment;
        this.eventStore = eventStore;
    }

    /**
     * One processor's progress. {@code caughtUp}: it has processed up to the newest event. Axon may still
     * flag it {@code replaying} until the next event passes the reset point (a gap-aware token has to
     * cover the token at reset, gaps included).
     */
    public record Status(String name, boolean running, boolean replaying, Long position, long head, boolean caughtUp) {
    }

    @Override
    public void run(ApplicationArguments args) {
        if (environment.getProperty("trustledger.rebuild-projections", Boolean.class, false)) {
            log.info("Rebuilding every projection from the event store (trustledger.rebuild-projections=true)");
            rebuild();
        }
    }

    /**
     * Stops every processor to rebuild at once, then resets each and starts them again. A tracking
     * processor stops only once its thread has finished waiting for new events (up to a second when idle):
     * stopped one after the other, that wait came once per processor, and the bench's rebuild of 33,884
     * events spent more than 2 of its 5 s before the last processor had even started. Stopped together,
     * the longest wait still came once per rebuild (0.46 to 0.99 s), so those waits are cut short
     * ({@link WakeableEventStore#wakeWaitingReaders}) until every processor has stopped.
     */
    public synchronized List<Status> rebuild() {
        Map<String, StreamingEventProcessor> rebuilt = new java.util.TreeMap<>(processors());
        rebuilt.keySet().removeAll(List.of(MailOutbox.PROCESSING_GROUP, RevocationOrders.PROCESSING_GROUP));
        java.util.concurrent.CompletableFuture<Void> stopped = java.util.concurrent.CompletableFuture.allOf(
                rebuilt.values().stream().map(StreamingEventProcessor::shutdownAsync)
                        .toArray(java.util.concurrent.CompletableFuture[]::new));
        while (!stopped.isDone()) {
            // Again and again: a processor thread may begin a wait just after a wake-up.
            eventStore.wakeWaitingReaders();
            try {
                stopped.get(WakeableEventStore.SLICE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not stopped yet: wake again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the processors stopped for a rebuild", e);
            } catch (java.util.concurrent.ExecutionException e) {
                break; // join() below rethrows it
            }
        }
        stopped.join();
        try {
            for (Map.Entry<String, StreamingEventProcessor> e : rebuilt.entrySet()) {
                e.getValue().resetTokens();
                progress.forget(e.getKey());
                log.info("Projection {} will replay from the start of the ledger", e.getKey());
            }
        } finally {
            // Started again whatever happened: a reset that failed leaves its processor, and those after
            // it, where they were; none is left stopped.
            rebuilt.values().forEach(StreamingEventProcessor::start);
        }
        log.info("Rebuild under way: {} projections replaying (mail outbox and revocation orders left alone)", rebuilt.size());
        return status();
    }

    public List<Status> status() {
        long head = store.headIndex();
        List<Status> result = new ArrayList<>();
        processors().forEach((name, p) -> {
            Long position = null;
            boolean replaying = false;
            for (EventTrackerStatus s : p.processingStatus().values()) {
                OptionalLong pos = s.getCurrentPosition();
                if (pos.isPresent()) {
                    position = position == null ? pos.getAsLong() : Math.min(position, pos.getAsLong());
                }
                replaying |= s.isReplaying();
            }
            result.add(new Status(name, p.isRunning(), replaying, position, head, position != null && position >= head));
        });
        result.sort((a, b) -> a.name().compareTo(b.name()));
        return result;
    }

    private Map<String, StreamingEventProcessor> processors() {
        Map<String, StreamingEventProcessor> result = new java.util.TreeMap<>();
        for (Map.Entry<String, EventProcessor> e : processing.eventProcessors().entrySet()) {
            if (e.getValue() instanceof StreamingEventProcessor s) {
                result.put(e.getKey(), s);
            }
        }
        return result;
    }
}
