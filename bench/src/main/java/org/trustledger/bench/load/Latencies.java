package org.trustledger.bench.load;

import java.util.Arrays;
import java.util.List;

/**
 * Every latency of one measurement, kept whole and sorted at the end: a p99 read from buckets or an
 * average would hide exactly the slow requests the targets are about, and a run of a few minutes has
 * at most a few hundred thousand requests, a few megabytes of longs. One instance per client thread
 * (no locking on the hot path); {@link #merge} joins them.
 */
final class Latencies {

    private long[] nanos = new long[1024];
    private int count;

    void record(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = latencyNanos;
    }

    int count() {
        return count;
    }

    static Latencies merge(List<Latencies> parts) {
        Latencies all = new Latencies();
        int total = parts.stream().mapToInt(Latencies::count).sum();
        all.nanos = new long[Math.max(1, total)];
        for (Latencies part : parts) {
            System.arraycopy(part.nanos, 0, all.nanos, all.count, part.count);
            all.count += part.count;
        }
        Arrays.sort(all.nanos, 0, all.count);
        return all;
    }

    /** The nearest-rank percentile in milliseconds (of a merged, hence sorted, instance); NaN when empty. */
    double percentileMillis(double percentile) {
        if (count == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * count);
        return nanos[Math.min(count, Math.max(1, rank)) - 1] / 1e6;
    }

    double maxMillis() {
        return count == 0 ? Double.NaN : nanos[count - 1] / 1e6;
    }

    String summary() {
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d requests", percentileMillis(50),
                percentileMillis(99), maxMillis(), count);
    }
}
