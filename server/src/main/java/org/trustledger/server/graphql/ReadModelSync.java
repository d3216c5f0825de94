package org.trustledger.server.graphql;

import java.time.Duration;
import java.util.function.ToLongFunction;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import org.trustledger.query.MemberProjection;
import org.trustledger.query.ProjectionProgress;
import org.trustledger.query.MemberReadModel;
import org.trustledger.server.config.TrustLedgerProperties;

/**
 * Read-your-writes across the asynchronous projection: waits until the read model has applied the
 * member's latest ledger event. Used after mutations (so the payload shows the new state) and by
 * anything that must not decide on a read model that lags the ledger.
 */
@Component
public class ReadModelSync {

    private final EventStore eventStore;
    private final MemberReadModel readModel;
    private final Duration timeout;
    private final ProjectionProgress progress;

    public ReadModelSync(EventStore eventStore, MemberReadModel readModel, TrustLedgerProperties props,
                         ProjectionProgress progress) {
        this.progress = progress;
        this.eventStore = eventStore;
        this.readModel = readModel;
        this.timeout = props.readModelWait();
    }

    /** Returns once the read model has seen every event of the member recorded so far. */
    public void awaitMember(String memberId) {
        await(memberId, readModel::lastSequence);
    }

    /** Returns once {@code applied} (a read model of the members projection) reports every event of the aggregate recorded so far. */
    public void await(String aggregateId, ToLongFunction<String> applied) {
        progress.await(eventStore, MemberProjection.PROCESSING_GROUP, aggregateId, applied, timeout);
    }
}
