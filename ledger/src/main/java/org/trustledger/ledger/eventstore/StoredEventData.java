package org.trustledger.ledger.eventstore;

import java.time.Instant;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;

/**
 * An event as read from the store, for Axon to upcast and deserialize. What Axon's
 * {@code GenericDomainEventEntry} holds, but its timestamp is read by {@link UtcTimestamps} (once, when
 * first asked) instead of by Axon's general ISO formatter each time.
 */
final class StoredEventData implements DomainEventData<String> {

    private final String type;
    private final String aggregateIdentifier;
    private final long sequenceNumber;
    private final String eventIdentifier;
    private final String timestamp;
    private final String payloadType;
    private final String payloadRevision;
    private final String payload;
    private final String metaData;
    /** Parsed when first asked; an Instant is immutable, so threads racing here all get an equal one. */
    private Instant instant;

    StoredEventData(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier, String timestamp,
                    String payloadType, String payloadRevision, String payload, String metaData) {
        this.type = type;
        this.aggregateIdentifier = aggregateIdentifier;
        this.sequenceNumber = sequenceNumber;
        this.eventIdentifier = eventIdentifier;
        this.timestamp = timestamp;
        this.payloadType = payloadType;
        this.payloadRevision = payloadRevision;
        this.payload = payload;
        this.metaData = metaData;
    }

    @Override
    public String getType() {
        return type;
    }

    @Override
    public String getAggregateIdentifier() {
        return aggregateIdentifier;
    }

    @Override
    public long getSequenceNumber() {
        return sequenceNumber;
    }

    @Override
    public String getEventIdentifier() {
        return eventIdentifier;
    }

    @Override
    public Instant getTimestamp() {
        Instant result = instant;
        if (result == null) {
            result = UtcTimestamps.parse(timestamp);
            instant = result;
        }
        return result;
    }

    @Override
    public SerializedObject<String> getMetaData() {
        return new SerializedMetaData<>(metaData, String.class);
    }

    @Override
    public SerializedObject<String> getPayload() {
        return new SimpleSerializedObject<>(payload, String.class, new SimpleSerializedType(payloadType, payloadRevision));
    }

    @Override
    public String toString() {
        return "StoredEventData{" + type + " " + aggregateIdentifier + "#" + sequenceNumber + ", " + payloadType + ", id "
                + eventIdentifier + ", at " + timestamp + "}";
    }
}
