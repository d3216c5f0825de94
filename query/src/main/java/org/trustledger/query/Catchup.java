package org.trustledger.query;

import java.time.Duration;
import java.util.function.ToLongFunction;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Waiting for an asynchronous projection to apply an aggregate's latest event (read-your-writes). The
 * event processors call {@link #applied()} after every committed batch, which wakes the waiters of this
 * JVM at once; they also look again every 20 ms at most, for what another node's processors applied.
 */
public final class Catchup {

    private static final Object APPLIED = new Object();
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
     * Returns once {@code applied} reports the aggregate's last event recorded so far.
     *
     * @throws ReadModelLagging when that takes longer than {@code timeout}
     */
    public static void await(EventStore eventStore, String aggregateId, ToLongFunction<String> applied,
                             Duration timeout) {
        long target = eventStore.lastSequenceNumberFor(aggregateId).orElse(-1L);
        long deadline = System.nanoTime() + timeout.toNanos();
        long wait = 1;
        while (true) {
            long seen;
            synchronized (APPLIED) {
                seen = batches;
            }
            if (applied.applyAsLong(aggregateId) >= target) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ReadModelLagging("The change was recorded, but the read model has not caught up within "
                        + timeout.toSeconds() + " s; query again shortly.");
            }
            try {
                synchronized (APPLIED) {
                    if (batches == seen) { // nothing committed since the look: sleep until something is
                        APPLIED.wait(wait);
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
