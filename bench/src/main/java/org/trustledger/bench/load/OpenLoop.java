package org.trustledger.bench.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Latency at a fixed request rate: request k is due at {@code start + k / rate}, whether or not the
 * previous ones have been answered, as independent users would send them. Each latency is measured
 * from the moment the request was due, not from the moment a worker got round to sending it, so a
 * server that stalls is charged for every request that waited behind the stall (no "coordinated
 * omission", which would make a closed loop's p99 look good exactly when the server is slow).
 *
 * <p>{@code workers} threads take the due requests in order; they bound only how many can be in
 * flight at once, which must be above rate x latency for the schedule to be kept.
 */
final class OpenLoop {

    private OpenLoop() {
    }

    static LoadResult run(String name, double perSecond, Duration warmup, Duration measure, int workers,
                          Supplier<Outcome> send) throws InterruptedException {
        long interval = Math.max(1, Math.round(1e9 / perSecond));
        long start = System.nanoTime() + 20_000_000L;
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        long total = (windowEnd - start) / interval;
        AtomicLong next = new AtomicLong();
        Tally tally = new Tally();
        for (int i = 0; i < workers; i++) {
            tally.client(name + "-" + i, mine -> {
                for (long k = next.getAndIncrement(); k < total; k = next.getAndIncrement()) {
                    long due = start + k * interval;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    Outcome outcome = send.get();
                    long end = System.nanoTime();
                    if (due < windowStart) {
                        continue;
                    }
                    tally.record(outcome, mine, end - due);
                }
            });
        }
        tally.runAll();
        // The rate offered was perSecond; the achieved one counts requests due in the window that succeeded.
        return tally.result(name, measure.toNanos() / 1e9, false);
    }
}
