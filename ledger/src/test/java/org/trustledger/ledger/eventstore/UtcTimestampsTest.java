package org.trustledger.ledger.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The store's own timestamp reader against {@code Instant.parse}: the same instant, or the same refusal. */
class UtcTimestampsTest {

    static final DateTimeFormatter STORE_FORM =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void reads_what_the_store_and_instant_to_string_write_as_instant_parse_does() {
        Random random = new Random(20261204);
        long from = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = from + (long) (random.nextDouble() * (to - from));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            for (String text : List.of(STORE_FORM.format(instant), instant.toString())) {
                assertThat(UtcTimestamps.parse(text)).as(text).isEqualTo(Instant.parse(text)).isEqualTo(instant);
            }
        }
    }

    /** Forms the fast path does not take (some of which {@code Instant.parse} reads leniently: 24:00, a leap second). */
    @Test
    void leaves_other_forms_to_instant_parse() {
        for (String text : List.of("2026-12-04T17:00:00.5Z", "2026-12-04T17:00:00.123456789Z", "2024-02-29T23:59:59Z",
                "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "2026-12-04T17:00:00+01:00",
                "2026-12-04T23:59:60Z", "2026-12-04T24:00:00Z", "2026-12-04T17:00:00.Z", "2026-12-04T17:00:00z")) {
            assertThat(UtcTimestamps.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void refuses_what_instant_parse_refuses() {
        for (String text : List.of("2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
                "2026-12-32T00:00:00Z", "2026-12-04T17:60:00Z", "2026-12-04T17:00:61Z", "2026-12-04T17:00:00.1234567890Z", "2026-12-04T17:0a:00Z",
                "2026-12-04 17:00:00Z", "2026-12-04T17:00:00", "", "not a time", "2026-12-04T17:00:00.12-4Z")) {
            assertThatThrownBy(() -> Instant.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            assertThatThrownBy(() -> UtcTimestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }
}
