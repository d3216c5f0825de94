package org.trustledger.server.rebuild;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Brings a processor that has fewer segments in the token store than configured
 * ({@code axon.eventhandling.processors.NAME.initial-segment-count}) up to that count, by splitting the
 * segments this node processes. Axon reads that setting only when a processor has no tokens at all, so
 * a store created before a processor was given more segments (the members and history processors went
 * from one to two on 2026-12-04) kept one for good, a rebuild included, and with it one thread where
 * two split the work.
 *
 * <p>A split gives the new segment the token of the one it came from, so nothing is processed twice or
 * skipped. Only a node that holds a segment can split it: with several nodes, the one that holds it does.
 * Never beyond the processor's threads on this node ({@code thread-count}): a segment no thread claims
 * would leave its members' events unprojected. Processors are never merged back.
 */
@Component
public class SegmentSplit {

    private static final Logger log = LoggerFactory.getLogger(SegmentSplit.class);
    private static final String SETTING = "axon.eventhandling.processors.%s.initial-segment-count";

    private final EventProcessingConfiguration processing;
    private final TokenStore tokens;
    private final Environment environment;
    /** Processors that have as many segments as configured (they never lose one: no merges). */
    private final Set<String> done = new HashSet<>();
    /**
     * The split last asked of each processor: the scheduler's thread never waits for one. Asked again
     * once answered, or after a minute unanswered (a processor stopped meanwhile, for a rebuild, drops it).
     */
    private final Map<String, Asked> asked = new HashMap<>();

    private record Asked(CompletableFuture<Boolean> answer, long atNanos) {
        boolean pending() {
            return !answer.isDone() && System.nanoTime() - atNanos < TimeUnit.MINUTES.toNanos(1);
        }
    }

    public SegmentSplit(EventProcessingConfiguration processing, TokenStore tokens, Environment environment) {
        this.processing = processing;
        this.tokens = tokens;
        this.environment = environment;
    }

    /** Checks every few seconds until each processor has its count: a segment is split only once claimed. */
    @Scheduled(initialDelay = 2, fixedDelay = 2, timeUnit = TimeUnit.SECONDS)
    public synchronized void splitWhereConfigured() {
        for (Map.Entry<String, EventProcessor> e : processing.eventProcessors().entrySet()) {
            if (e.getValue() instanceof TrackingEventProcessor processor && !done.contains(e.getKey())) {
                split(e.getKey(), processor);
            }
        }
    }

    private void split(String name, TrackingEventProcessor processor) {
        int wanted = Math.min(environment.getProperty(SETTING.formatted(name), Integer.class, 1), processor.maxCapacity());
        int segments = tokens.fetchSegments(name).length;
        if (segments == 0) {
            return; // not initialized yet: Axon creates the configured count itself
        }
        if (segments >= wanted) {
            done.add(name);
            return;
        }
        Asked before = asked.get(name);
        if (!processor.isRunning() || (before != null && before.pending())) {
            return;
        }
        // The held segment with the largest share (the smallest mask) is split first.
        Optional<EventTrackerStatus> largest = processor.processingStatus().values().stream()
                .filter(s -> !s.isErrorState())
                .min(Comparator.comparingInt(s -> s.getSegment().getMask()));
        if (largest.isEmpty()) {
            return; // none claimed here yet, or held by another node: checked again later
        }
        int id = largest.get().getSegment().getSegmentId();
        // Carried out by the segment's own thread between two batches; checked again at the next round.
        asked.put(name, new Asked(processor.splitSegment(id).whenComplete((split, failure) -> {
            if (failure != null) {
                log.warn("Processor {}: segment {} could not be split, tried again later: {}", name, id, failure.toString());
            } else if (split) {
                log.info("Processor {}: segment {} split in two, towards the {} configured segments", name, id, wanted);
            }
        }), System.nanoTime()));
    }
}
