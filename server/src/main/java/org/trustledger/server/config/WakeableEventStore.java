package org.trustledger.server.config;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, with a way to cut short the waits of its readers for new events.
 *
 * <p>A tracking processor that has caught up waits for the next event up to its event availability
 * timeout (a second; Axon's Spring Boot properties do not set it), and it sees that it was asked to
 * stop only once that wait is over. A rebuild stops its processors before it resets them, so every
 * rebuild waited up to a second for the idle ones: 0.46 to 0.99 s of the bench's rebuilds of 5 to 7 s
 * (bench/README.md, "a rebuild's stop without waiting out the processors' polls").
 * {@link #wakeWaitingReaders()} ends every wait under way as if its time had run out; the processor then
 * finds itself stopped, or waits again.
 *
 * <p>A stream waits in slices of {@value #SLICE_MS} ms so that it notices a wake-up: a reader still
 * sees a new event the moment Axon's stream has it, and nothing else about reading changes.
 */
public final class WakeableEventStore extends EmbeddedEventStore {

    public static final long SLICE_MS = 50;

    private final AtomicLong wakeUps = new AtomicLong();

    WakeableEventStore(Builder builder) {
        super(builder);
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new WakeableStream(super.openStream(trackingToken));
    }

    /** Ends every wait for new events under way in this store's streams: each returns that none came. */
    public void wakeWaitingReaders() {
        wakeUps.incrementAndGet();
    }

    private final class WakeableStream implements TrackingEventStream {

        private final TrackingEventStream stream;

        WakeableStream(TrackingEventStream stream) {
            this.stream = stream;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long woken = wakeUps.get();
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                long left = deadline - System.nanoTime();
                // Whole milliseconds, rounded up: a last fraction of one is waited, not spun through.
                long slice = Math.max(0, Math.min((left + 999_999) / 1_000_000, SLICE_MS));
                if (stream.hasNextAvailable((int) slice, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (wakeUps.get() != woken || deadline - System.nanoTime() <= 0) {
                    return false;
                }
            }
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return stream.setOnAvailableCallback(callback);
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
