package org.trustledger.query;

import java.util.function.Consumer;
import java.util.function.Supplier;
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
}
