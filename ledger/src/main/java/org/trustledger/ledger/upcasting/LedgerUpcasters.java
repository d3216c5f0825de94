package org.trustledger.ledger.upcasting;

import org.axonframework.serialization.upcasting.event.EventUpcasterChain;

/**
 * Every upcaster of the ledger's events, in order, for the event storage engine: events are never
 * rewritten in the store, so an event stored under an older revision is brought to the current shape
 * each time it is read (aggregates, projections, history). Add new ones at the end.
 */
public final class LedgerUpcasters {

    private LedgerUpcasters() {
    }

    public static EventUpcasterChain chain() {
        return new EventUpcasterChain(new TtpAssuranceRecordedUpcaster());
    }
}
