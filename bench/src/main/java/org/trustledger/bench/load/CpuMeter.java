package org.trustledger.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How many of the machine's cores the server and the driver used during a measured window, from the
 * operating system's CPU time of each process. It tells two kinds of slow apart: a server that is
 * busy on both cores (CPU-bound: profile where the CPU goes) and one that is mostly idle while its
 * clients wait (latency-bound: look for sleeps, polls and locks). It also shows what share of the two
 * cores the driver itself took from the server, and what anything else on the shared machine took (a
 * window in which another engineer's build ran is then visible as such, not mistaken for the server).
 */
final class CpuMeter {

    private final ProcessHandle server;
    private final int port;
    private final Thread probe;
    private volatile String result = "CPU not measured";
    private volatile double serverCores = Double.NaN;

    private CpuMeter(long serverPid, int port, Duration delay, Duration length) {
        this.server = ProcessHandle.of(serverPid).orElseThrow();
        this.port = port;
        this.probe = new Thread(() -> measure(delay, length), "cpu-meter");
        probe.setDaemon(true);
        probe.start();
    }

    /** Measures the window that opens {@code delay} from now (after a warm-up) and lasts {@code length}. */
    static CpuMeter window(long serverPid, Duration delay, Duration length) {
        return new CpuMeter(serverPid, -1, delay, length);
    }

    /** As {@link #window(long, Duration, Duration)}, also saying how much of the server's CPU its JIT compiler took. */
    static CpuMeter window(long serverPid, int port, Duration delay, Duration length) {
        return new CpuMeter(serverPid, port, delay, length);
    }

    private void measure(Duration delay, Duration length) {
        try {
            Thread.sleep(delay.toMillis());
            long wall = System.nanoTime();
            long serverStart = cpuNanos(server);
            long driverStart = cpuNanos(ProcessHandle.current());
            long machineStart = machineBusyNanos();
            long jitStart = port < 0 ? -1 : Jit.compileMillis(port);
            Thread.sleep(length.toMillis());
            long jitEnd = jitStart < 0 ? -1 : Jit.compileMillis(port);
            double seconds = (System.nanoTime() - wall) / 1e9;
            double serverCores = (cpuNanos(server) - serverStart) / 1e9 / seconds;
            double driverCores = (cpuNanos(ProcessHandle.current()) - driverStart) / 1e9 / seconds;
            double machineCores = (machineBusyNanos() - machineStart) / 1e9 / seconds;
            this.serverCores = serverCores;
            String jit = jitEnd < 0 ? "" : String.format(Locale.ROOT, " (of which JIT compilation %.2f)",
                    (jitEnd - jitStart) / 1e3 / seconds);
            result = String.format(Locale.ROOT, "server %.2f cores%s, driver %.2f cores, anything else %.2f cores",
                    serverCores, jit, driverCores, Math.max(0, machineCores - serverCores - driverCores));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * CPU time of the whole machine that was not idle, from the first line of /proc/stat (in USER_HZ
     * ticks, 100 per second on Linux): what else ran besides the server and the driver, such as another
     * engineer's build on the shared machine. 0 where there is no /proc/stat.
     */
    static long machineBusyNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** "server 1.62 cores, driver 0.31 cores, anything else 0.02 cores", once the window has passed. */
    String cores() throws InterruptedException {
        probe.join();
        return result;
    }

    /**
     * The server's CPU time per successful request in milliseconds (its cores over the window divided
     * by the rate): what one request costs the server, whatever the concurrency. NaN if not measured.
     */
    double serverMillisPer(double perSecond) throws InterruptedException {
        probe.join();
        return perSecond <= 0 ? Double.NaN : serverCores / perSecond * 1000;
    }
}
