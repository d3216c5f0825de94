package org.trustledger.query;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * State a projection keeps for one batch of events of its tracking processor (one unit of work), written
 * to the store in bulk before the batch commits. The processor's token is stored only after the commit
 * ({@code MongoTokenStore}), so a failed write leaves the whole batch to be processed again; projections
 * that use this must be idempotent per event, as they are anyway (delivery is at least once).
 */
final class PerBatch {

    private PerBatch() {
    }

    /** This batch's state under {@code key}, created on first use; null outside a unit of work (write at once). */
    static <T> T resource(String key, Supplier<T> create, Consumer<T> flush) {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(key, k -> {
            T state = create.get();
            root.onPrepareCommit(u -> flush.accept(state));
            return state;
        });
    }

    /**
     * The aggregates of type {@code type} that the current batch's events belong to (empty outside a
     * batch), so a projection can read their documents with one query for the whole batch instead of
     * one per aggregate as its events arrive.
     */
    static Set<String> aggregates(String type) {
        Set<String> ids = new LinkedHashSet<>();
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?> batch) {
            for (Message<?> message : batch.getMessages()) {
                if (message instanceof DomainEventMessage<?> event && type.equals(event.getType())) {
                    ids.add(event.getAggregateIdentifier());
                }
            }
        }
        return ids;
    }
}
