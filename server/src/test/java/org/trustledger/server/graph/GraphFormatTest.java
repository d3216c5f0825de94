package org.trustledger.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.trustledger.ledger.api.MemberStatus;
import org.trustledger.query.graph.TrustGraphReader.Edge;

/**
 * The writers keep nothing: a million edges go through each format while the heap stays flat (the
 * bytes are counted and dropped). Memory is the property checked, not time.
 */
class GraphFormatTest {

    static final int EDGES = 1_000_000;

    @ParameterizedTest
    @EnumSource(GraphFormat.class)
    void a_million_edges_stream_through_in_bounded_memory(GraphFormat format) throws Exception {
        long[] bytes = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes[0] += len;
            }
        };
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        GraphFormat.Sink sink = new GraphFormat.Sink(format, counting);
        for (int i = 0; i < 1_000; i++) {
            sink.node("p-node" + i, MemberStatus.values()[i % 4]);
        }
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        long peak = 0;
        for (int i = 0; i < EDGES; i++) {
            sink.edge(new Edge("a" + i, "m" + (i % 1000), "m" + ((i * 7) % 1000), 35, "FACE_TO_FACE",
                    LocalDate.of(2026, 1, 1), i % 10 == 0, at), "p-node" + (i % 1000), "p-node" + ((i * 7) % 1000));
            if (i % 200_000 == 0) {
                System.gc();
                peak = Math.max(peak, rt.totalMemory() - rt.freeMemory() - before);
            }
        }
        sink.end();
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory() - before;
        assertThat(bytes[0]).as("everything was written").isGreaterThan(EDGES * 20L);
        assertThat(Math.max(peak, after)).as("heap growth while streaming %,d edges as %s", EDGES, format)
                .isLessThan(32L * 1024 * 1024);
    }
}
