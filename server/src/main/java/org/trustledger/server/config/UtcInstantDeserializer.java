package org.trustledger.server.config;

import java.time.Instant;
import org.trustledger.ledger.eventstore.UtcTimestamps;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Instants in Axon's serialized events, snapshots and tokens, as Jackson writes them
 * ({@code 2026-11-23T12:00:00Z}), read by {@link UtcTimestamps} instead of Jackson's general ISO
 * formatter: that was a third of the time Jackson spent deserializing payloads in a profiled projection
 * rebuild. Any other form (epoch numbers, offsets) is left to Jackson's own deserializer, and so is what
 * it has to refuse, with its own error.
 */
final class UtcInstantDeserializer extends StdDeserializer<Instant> {

    UtcInstantDeserializer() {
        super(Instant.class);
    }

    /** A module that makes Jackson read instants with this deserializer. */
    static SimpleModule module() {
        return new SimpleModule("trust-ledger-utc-instants").addDeserializer(Instant.class, new UtcInstantDeserializer());
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            Instant instant = UtcTimestamps.parsePlain(p.getString());
            if (instant != null) {
                return instant;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }
}
