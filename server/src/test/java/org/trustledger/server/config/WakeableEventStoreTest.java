package org.trustledger.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a rebuild relies on to stop its processors without waiting out their polls: a wake-up ends the
 * waits under way, and nothing else about reading changes.
 */
class WakeableEventStoreTest {

    private final WakeableEventStore store = new WakeableEventStore(EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).fetchDelay(100));

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void a_wake_up_ends_a_wait_under_way_as_if_no_event_came() throws Exception {
        try (TrackingEventStream stream = store.openStream(null)) {
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> wait(stream, 60));
            Thread.sleep(300); // the reader is waiting now
            assertThat(waiting).isNotDone();
            store.wakeWaitingReaders();
            // Far sooner than the wait's own 60 s: the wake-up ended it.
            assertThat(waiting.get(20, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void a_waiting_reader_still_gets_the_next_event() throws Exception {
        try (TrackingEventStream stream = store.openStream(null)) {
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> wait(stream, 60));
            Thread.sleep(300);
            store.publish(GenericEventMessage.asEventMessage("registered"));
            assertThat(waiting.get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("registered");
            assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        }
    }

    @Test
    void a_wake_up_before_a_wait_began_does_not_end_it() throws Exception {
        store.wakeWaitingReaders();
        try (TrackingEventStream stream = store.openStream(null)) {
            long start = System.nanoTime();
            assertThat(stream.hasNextAvailable(300, TimeUnit.MILLISECONDS)).isFalse();
            // It waited its time out (several slices), not one slice.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(250);
        }
    }

    private static boolean wait(TrackingEventStream stream, int seconds) {
        try {
            return stream.hasNextAvailable(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
