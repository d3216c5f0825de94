package org.trustledger.bench.load;

import java.util.Map;
import java.util.TreeMap;

/**
 * One measured window of a load phase: how many requests succeeded in it and how long it lasted (the
 * rate is the one the server sustained), the latencies of the successful ones, and the failures by
 * code, which are printed so that a low rate caused by refusals is not mistaken for a slow server.
 *
 * @param exhausted true when a client ran out of work before the window ended; the window then ends
 *                  there and {@code seconds} is the shorter time actually measured
 */
record LoadResult(String name, long ok, long failed, double seconds, Latencies latencies,
                  Map<String, Long> failures, boolean exhausted) {

    LoadResult {
        failures = new TreeMap<>(failures);
    }

    double perSecond() {
        return seconds <= 0 ? 0 : ok / seconds;
    }

    String describe() {
        return String.format("%s: %,d ok in %.1f s = %,.1f/s; %s%s%s", name, ok, seconds, perSecond(),
                latencies.summary(), failed == 0 ? "" : "; failed " + failed + " " + failures,
                exhausted ? "; ended early: work exhausted" : "");
    }
}
