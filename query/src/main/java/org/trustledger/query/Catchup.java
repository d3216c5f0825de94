package org.trustledger.query;

import java.time.Duration;
import java.util.function.ToLongFunction;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Waiting for an asynchronous projection to apply an aggregate's latest event (read-your-writes). The
 * event processors call {@link #applied()} after every committed batch, which wakes the waiters of this
 * JVM at once. A waiter for a group processed in this JVM looks in memory ({@link ProjectionProgress})
 * when woken and asks the read model only after 20 ms, then ever less often (up to every 320 ms); for a
 * group processed on another node it asks the read model when woken and at least every 20 ms.
 */
public final class Catchup {

    private static final Object APPLIED = new Object();
    private static final long STORE_LOOK_NANOS = Duration.ofMillis(20).toNanos();
    private static long batches;

    private Catchup() {
    }

    /** An event processor of this JVM committed a batch: waiters look again. */
    public static void applied() {
        synchronized (APPLIED) {
            batches++;
            APPLIED.notifyAll();
        }
    }

    /**
     * Returns once {@code readModel} (or, for a group processed here, {@code progress}) reports the
     * aggregate's last event recorded so far.
     *
     * @throws ReadModelLagging when that takes longer than {@code timeout}
     */
    static void await(EventStore eventStore, ProjectionProgress progress, String group, String aggregateId,
                      ToLongFunction<String> readModel, Duration timeout) {
        long target = eventStore.lastSequenceNumberFor(aggregateId).orElse(-1L);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        boolean inMemory = progress.local(group);
        // In memory first: the read model is asked only once the local processor had 20 ms to report.
        long nextStoreLook = inMemory ? start + STORE_LOOK_NANOS : start;
        // A local processor reports what it applies; the read model is asked only in case this node took the
        // segment over from another (which applied the event before), ever less often: 20, 40, 80... 320 ms.
        long storeLookEvery = STORE_LOOK_NANOS;
        long wait = 1;
        while (true) {
            long seen;
            synchronized (APPLIED) {
                seen = batches;
            }
            if (inMemory && progress.applied(group, aggregateId) >= target) {
                return;
            }
            long now = System.nanoTime();
            if (now - nextStoreLook >= 0) {
                if (readModel.applyAsLong(aggregateId) >= target) {
                    return;
                }
                if (inMemory) {
                    storeLookEvery = Math.min(16 * STORE_LOOK_NANOS, storeLookEvery * 2);
                }
                nextStoreLook = now + (inMemory ? storeLookEvery : 0);
            }
            if (now - deadline > 0) {
                throw new ReadModelLagging("The change was recorded, but the read model has not caught up within "
                        + timeout.toSeconds() + " s; query again shortly.");
            }
            try {
                synchronized (APPLIED) {
                    if (batches == seen) { // nothing committed since the look: sleep until something is
                        APPLIED.wait(inMemory ? Math.max(1, (nextStoreLook - System.nanoTime()) / 1_000_000) : wait);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReadModelLagging("Interrupted while waiting for the read model.");
            }
            wait = Math.min(20, wait * 2);
        }
    }
}
