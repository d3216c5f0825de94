package org.trustledger.ledger.upcasting;

import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.trustledger.ledger.api.TtpAssuranceRecorded;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * TtpAssuranceRecorded revision 1 to 2: the loose {@code ttpName}, {@code ttpKind} and {@code country}
 * fields become one {@code ttp} object, or null for a top-up (whose three fields were null).
 */
final class TtpAssuranceRecordedUpcaster extends SingleEventUpcaster {

    private static final String TYPE = TtpAssuranceRecorded.class.getName();

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().getName().equals(TYPE) && "1".equals(representation.getType().getRevision());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(TYPE, "2"), ObjectNode.class, payload -> {
            JsonNode name = payload.remove("ttpName");
            JsonNode kind = payload.remove("ttpKind");
            JsonNode country = payload.remove("country");
            if (name == null || name.isNull()) {
                payload.putNull("ttp");
            } else {
                ObjectNode ttp = payload.putObject("ttp");
                ttp.set("name", name);
                ttp.set("kind", kind);
                ttp.set("country", country);
            }
            return payload;
        });
    }
}
