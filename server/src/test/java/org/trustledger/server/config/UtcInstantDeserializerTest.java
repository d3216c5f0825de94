package org.trustledger.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Axon's mapper, with the fast instant reader, against Jackson's own: the same instants, the same refusals. */
class UtcInstantDeserializerTest {

    record Event(String id, Instant at, List<Instant> more) {
    }

    static JsonMapper axonMapper() {
        JsonMapper.Builder builder = JsonMapper.builder();
        new AxonConfiguration().polymorphicTypesOfAxonAndLedger().accept(builder);
        return builder.build();
    }

    @Test
    void reads_instants_as_jackson_does() {
        JsonMapper ours = axonMapper();
        JsonMapper jackson = JsonMapper.builder().build();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L),
                    i % 2 == 0 ? 0 : random.nextInt(1_000_000_000));
            String json = jackson.writeValueAsString(new Event("e" + i, at, List.of(at, at.plusMillis(i))));
            assertThat(ours.readValue(json, Event.class)).as(json).isEqualTo(jackson.readValue(json, Event.class))
                    .extracting(Event::at).isEqualTo(at);
        }
        for (String text : List.of("\"2026-12-04T17:00:00+01:00\"", "\"1764867600\"", "1764867600.5", "1764867600",
                "\"2026-12-04T24:00:00Z\"", "\"2026-12-04T17:00:00z\"", "null")) {
            String json = "{\"id\":\"x\",\"at\":" + text + ",\"more\":[]}";
            assertThat(ours.readValue(json, Event.class)).as(json).isEqualTo(jackson.readValue(json, Event.class));
        }
    }

    @Test
    void refuses_what_jackson_refuses() {
        JsonMapper ours = axonMapper();
        for (String text : List.of("\"2026-02-30T00:00:00Z\"", "\"2026-12-04T17:61:00Z\"", "\"yesterday\"", "true")) {
            String json = "{\"id\":\"x\",\"at\":" + text + ",\"more\":[]}";
            assertThatThrownBy(() -> JsonMapper.builder().build().readValue(json, Event.class)).as(json)
                    .isInstanceOf(JacksonException.class);
            assertThatThrownBy(() -> ours.readValue(json, Event.class)).as(json).isInstanceOf(JacksonException.class);
        }
    }

    @Test
    void is_the_deserializer_axon_mapper_uses_for_instants() {
        JsonMapper ours = axonMapper();
        assertThat(ours.registeredModules()).anyMatch(m -> "trust-ledger-utc-instants".equals(m.getRegistrationId()));
    }
}
