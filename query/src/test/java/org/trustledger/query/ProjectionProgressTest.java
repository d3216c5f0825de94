package org.trustledger.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read-your-writes waits answered from what this JVM's processors committed, and when they are not. */
class ProjectionProgressTest {

    final EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    final Set<String> local = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of("members"));
    final ProjectionProgress progress = new ProjectionProgress(local::contains);
    final AtomicInteger readModelLooks = new AtomicInteger();

    @AfterEach
    void tearDown() {
        store.shutDown();
    }

    private void record(String aggregate, long... sequences) {
        for (long seq : sequences) {
            store.publish(new GenericDomainEventMessage<>("Member", aggregate, seq, "event " + seq));
        }
    }

    /** A read model that never catches up, and counts how often it is asked. */
    private long readModelBehind(String aggregate) {
        readModelLooks.incrementAndGet();
        return -1;
    }

    @Test
    void a_wait_for_a_batch_this_jvm_committed_is_answered_in_memory() {
        record("m1", 0, 1, 2);
        progress.committed("members", Map.of("m1", 2L, "m2", 0L));
        progress.await(store, "members", "m1", this::readModelBehind, Duration.ofSeconds(5));
        assertThat(readModelLooks).hasValue(0);
        assertThat(progress.applied("members", "m1")).isEqualTo(2);
        assertThat(progress.applied("members", "m3")).isEqualTo(-1);
        progress.committed("members", Map.of("m1", 1L)); // numbers only grow
        assertThat(progress.applied("members", "m1")).isEqualTo(2);
    }

    @Test
    void a_waiter_is_woken_by_the_commit_it_waits_for() throws Exception {
        record("m1", 0, 1);
        progress.committed("members", Map.of("m1", 0L));
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() ->
                progress.await(store, "members", "m1", this::readModelBehind, Duration.ofSeconds(10)));
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        progress.committed("members", Map.of("m1", 1L));
        waiting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void a_group_not_processed_here_is_followed_through_the_read_model() {
        record("m1", 0, 1);
        progress.committed("history", Map.of("m1", 1L));
        // The history processor runs elsewhere: what this JVM once applied for it does not count.
        assertThatThrownBy(() -> progress.await(store, "history", "m1", this::readModelBehind, Duration.ofMillis(200)))
                .isInstanceOf(ReadModelLagging.class);
        assertThat(readModelLooks.get()).isGreaterThan(1);
        progress.await(store, "history", "m1", aggregate -> 1L, Duration.ofSeconds(1));
    }

    @Test
    void a_group_that_stops_being_processed_here_or_is_reset_forgets_what_it_applied() {
        record("m1", 0, 1);
        progress.committed("members", Map.of("m1", 1L));
        local.remove("members");
        assertThat(progress.applied("members", "m1")).isEqualTo(-1);
        local.add("members"); // claimed again, after another node may have reset the projection
        assertThat(progress.applied("members", "m1")).isEqualTo(-1);

        progress.committed("members", Map.of("m1", 1L));
        progress.forget("members");
        assertThatThrownBy(() -> progress.await(store, "members", "m1", this::readModelBehind, Duration.ofMillis(100)))
                .isInstanceOf(ReadModelLagging.class);
    }

    @Test
    void an_aggregate_without_events_needs_no_wait() {
        progress.await(store, "members", "nobody", this::readModelBehind, Duration.ofSeconds(1));
        progress.await(store, "history", "nobody", this::readModelBehind, Duration.ofSeconds(1));
    }

    @Test
    void a_segment_taken_over_from_another_node_is_caught_up_through_the_read_model() {
        record("m1", 0, 1);
        // This node's processor holds the group now, but the node that held it before applied m1's events.
        progress.await(store, "members", "m1", aggregate -> {
            readModelLooks.incrementAndGet();
            return 1L;
        }, Duration.ofSeconds(2));
        assertThat(readModelLooks).hasValue(1);
    }

    @Test
    void a_long_wait_on_a_local_processor_asks_the_read_model_ever_less_often() {
        record("m1", 0, 1);
        assertThatThrownBy(() -> progress.await(store, "members", "m1", this::readModelBehind, Duration.ofSeconds(1)))
                .isInstanceOf(ReadModelLagging.class);
        // After 20, 60, 140, 300, 620 and 940 ms; every 20 ms would have been 50 times.
        assertThat(readModelLooks.get()).isBetween(3, 9);
    }
}
