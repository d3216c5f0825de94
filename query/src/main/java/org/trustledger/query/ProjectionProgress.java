package org.trustledger.query;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * What this JVM's event processors have applied and committed: per processing group, the last sequence
 * number of each aggregate seen in a committed batch. A read-your-writes wait asks this first, in
 * memory, instead of querying the read model each time a processor commits a batch (with eight
 * concurrent certificate requests that was thirteen read-model queries per request: every batch of any
 * processor woke every waiter).
 *
 * <p>It is trusted only for a group whose processor runs in this JVM and holds its segments
 * ({@code processedHere}); another node's processor is followed through the read model, as before.
 * Numbers only grow, except that {@link #forget} drops a group when its projection is reset for a
 * rebuild, and a group found not processed here is dropped too (a node that lost its claim must not
 * answer from what it applied before another node's reset).
 */
public final class ProjectionProgress {

    /** Entries per group before the map is emptied: it is a shortcut, the read model stays the truth. */
    static final int MAX_AGGREGATES = 200_000;
    private final Map<String, Map<String, Long>> applied = new ConcurrentHashMap<>();
    private final Predicate<String> processedHere;

    /** @param processedHere whether a group's processor runs in this JVM and holds its segments now */
    public ProjectionProgress(Predicate<String> processedHere) {
        this.processedHere = processedHere;
    }

    /** A batch of {@code group} committed: {@code lastSequences} holds each aggregate's last sequence number in it. */
    public void committed(String group, Map<String, Long> lastSequences) {
        if (!lastSequences.isEmpty()) {
            Map<String, Long> known = applied.computeIfAbsent(group, g -> new ConcurrentHashMap<>());
            if (known.size() + lastSequences.size() > MAX_AGGREGATES) {
                known.clear();
            }
            lastSequences.forEach((aggregate, sequence) -> known.merge(aggregate, sequence, Math::max));
        }
        Catchup.applied();
    }

    /** The group's projection is reset (a rebuild): nothing it applied before counts any more. */
    public void forget(String group) {
        applied.remove(group);
    }

    /**
     * The last sequence number of the aggregate that this JVM's processor of {@code group} has applied and
     * committed, or -1 when it cannot say (not processed here, or not seen since this JVM started).
     */
    public long applied(String group, String aggregateId) {
        if (!processedHere.test(group)) {
            applied.remove(group);
            return -1;
        }
        Map<String, Long> known = applied.get(group);
        Long sequence = known == null ? null : known.get(aggregateId);
        return sequence == null ? -1 : sequence;
    }

    /** Whether {@code group}'s processor runs in this JVM, so that its commits wake waiters at once. */
    public boolean local(String group) {
        return processedHere.test(group);
    }

    /**
     * Returns once the projection of {@code group} has applied the aggregate's last event recorded so far:
     * in memory when this JVM processes the group, through {@code readModel} otherwise (and as a
     * fallback, for a segment taken over from another node: after 20 ms, then ever less often).
     *
     * @throws ReadModelLagging when that takes longer than {@code timeout}
     */
    public void await(EventStore eventStore, String group, String aggregateId, ToLongFunction<String> readModel,
                      Duration timeout) {
        Catchup.await(eventStore, this, group, aggregateId, readModel, timeout);
    }
}
