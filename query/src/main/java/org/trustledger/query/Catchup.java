package org.trustledger.query;

import java.time.Duration;
import java.util.function.ToLongFunction;
import org.axonframework.eventsourcing.eventstore.EventStore;

/** Waiting for an asynchronous projection to apply an aggregate's latest event (read-your-writes). */
public final class Catchup {

    private Catchup() {
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
        long sleep = 1;
        while (applied.applyAsLong(aggregateId) < target) {
            if (System.nanoTime() > deadline) {
                throw new ReadModelLagging("The change was recorded, but the read model has not caught up within "
                        + timeout.toSeconds() + " s; query again shortly.");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReadModelLagging("Interrupted while waiting for the read model.");
            }
            sleep = Math.min(20, sleep * 2);
        }
    }
}
