package org.trustledger.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a load phase counts, whichever way it drives the server ({@link ClosedLoop}, {@link OpenLoop}):
 * answers that succeeded with their latencies (one histogram per client thread, merged at the end),
 * failures by code, and the client threads themselves.
 */
final class Tally {

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private final List<Latencies> latencies = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** A client thread of the phase, with its own latency histogram; started by {@link #runAll}. */
    void client(String name, java.util.function.Consumer<Latencies> body) {
        Latencies mine = new Latencies();
        latencies.add(mine);
        Thread t = new Thread(() -> body.accept(mine), name);
        t.setDaemon(true);
        threads.add(t);
    }

    /** Counts one answer that fell inside the measured window. */
    void record(Outcome outcome, Latencies mine, long nanos) {
        if (outcome.ok()) {
            ok.incrementAndGet();
            mine.record(nanos);
        } else {
            failed.incrementAndGet();
            failures.merge(outcome.code(), 1L, Long::sum);
        }
    }

    void runAll() throws InterruptedException {
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
    }

    LoadResult result(String name, double seconds, boolean exhausted) {
        return new LoadResult(name, ok.get(), failed.get(), seconds, Latencies.merge(latencies), failures, exhausted);
    }
}
