package org.trustledger.bench.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Throughput: {@code clients} threads each send a request, wait for its answer and send the next, as
 * fast as the server answers. This measures the most the server sustains at that concurrency (the
 * "requests per second" figures); its latencies are not the ones to quote, because each client waits
 * for the previous answer before sending (see {@link OpenLoop} for latency at a given rate).
 *
 * <p>A warm-up runs first and is not counted (JIT, connection pools, caches). Only requests that
 * complete inside the measured window count; one started before the window is not timed. If a client
 * reports {@link Outcome#EXHAUSTED} the window closes at that moment for everyone, so that the rate
 * is never diluted by idle clients.
 */
final class ClosedLoop {

    private ClosedLoop() {
    }

    /**
     * @param client one request sender per client index; each is called only from its own thread
     */
    static LoadResult run(String name, int clients, Duration warmup, Duration measure,
                          IntFunction<Supplier<Outcome>> client) throws InterruptedException {
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        AtomicLong windowEnd = new AtomicLong(windowStart + measure.toNanos());
        AtomicBoolean exhausted = new AtomicBoolean();
        Tally tally = new Tally();
        for (int i = 0; i < clients; i++) {
            Supplier<Outcome> send = client.apply(i);
            tally.client(name + "-" + i, mine -> {
                while (true) {
                    long begin = System.nanoTime();
                    if (begin >= windowEnd.get()) {
                        return;
                    }
                    Outcome outcome = send.get();
                    long end = System.nanoTime();
                    if (outcome.exhausted()) {
                        exhausted.set(true);
                        windowEnd.accumulateAndGet(Math.max(end, windowStart), Math::min);
                        return;
                    }
                    if (begin < windowStart || end > windowEnd.get()) {
                        continue;
                    }
                    tally.record(outcome, mine, end - begin);
                }
            });
        }
        tally.runAll();
        double seconds = (windowEnd.get() - windowStart) / 1e9;
        return tally.result(name, seconds, exhausted.get());
    }
}
