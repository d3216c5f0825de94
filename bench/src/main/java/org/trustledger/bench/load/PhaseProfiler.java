package org.trustledger.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the server's time goes during one load phase, when asked for ({@code --profile}); never in a
 * measuring run, since both probes cost CPU on the shared cores. Two views, because a request's
 * latency is CPU plus waiting: a JFR recording of the server process ({@code jcmd <pid> JFR.start},
 * settings=profile; CPU samples of running threads) and wall-clock samples of every thread's stack
 * ({@code jcmd <pid> Thread.print} once a second), which also catch threads that sleep, wait for a
 * lock or for the store. {@link TopFrames} summarises both into a text file next to the recording,
 * with the store commands the phase caused ({@link StoreCommands}).
 */
final class PhaseProfiler {

    private final Path dir;

    private PhaseProfiler(Path dir) {
        this.dir = dir;
    }

    static PhaseProfiler off() {
        return new PhaseProfiler(null);
    }

    static PhaseProfiler into(Path dir) {
        return new PhaseProfiler(dir);
    }

    /**
     * A flight recording from the server's start, when profiling. The first recording of a JVM
     * instruments the JDK's event classes (socket and file reads and writes) by retransforming them,
     * which throws away the compiled code that inlined them: a recording first started by
     * {@code JFR.start} in the middle of a phase measured the JIT compiler's recompilation (1.26 of the
     * 2 cores in one issuance profile, against 0.22 just before), not the server. With one running
     * from the start, the phase's own recording changes nothing compiled (0.29 cores).
     */
    List<String> serverJvmOptions() {
        return dir == null ? List.of()
                : List.of("-XX:StartFlightRecording=name=from-start,settings=profile,maxage=2m");
    }

    /** A profile of the server from now until {@link Session#close}. */
    Session start(long pid, String phase, Http http) throws IOException, InterruptedException {
        if (dir == null) {
            return new Session(null, pid, phase, null, null, null);
        }
        Files.createDirectories(dir);
        String name = phase.replaceAll("[^A-Za-z0-9-]+", "-");
        jcmd(pid, "JFR.start", "name=" + name, "settings=profile");
        Session session = new Session(dir, pid, name, new ArrayList<>(), http, StoreCommands.read(http));
        session.sampler = new Thread(session::sampleStacks, "stack-sampler");
        session.sampler.setDaemon(true);
        session.sampler.start();
        return session;
    }

    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** One phase's profile in progress. */
    static final class Session implements AutoCloseable {

        private final Path dir;
        private final long pid;
        private final String name;
        private final List<String> dumps;
        private final Http http;
        private final StoreCommands storeBefore;
        private volatile boolean running = true;
        private Thread sampler;

        private Session(Path dir, long pid, String name, List<String> dumps, Http http, StoreCommands storeBefore) {
            this.dir = dir;
            this.pid = pid;
            this.name = name;
            this.dumps = dumps;
            this.http = http;
            this.storeBefore = storeBefore;
        }

        private void sampleStacks() {
            while (running) {
                try {
                    String dump = jcmd(pid, "Thread.print");
                    synchronized (dumps) {
                        dumps.add(dump);
                    }
                    Thread.sleep(1000);
                } catch (IOException e) {
                    return; // the server is gone
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            if (dir == null) {
                return;
            }
            running = false;
            sampler.join();
            String store = StoreCommands.read(http).since(storeBefore, 25);
            Path recording = dir.resolve(name + ".jfr").toAbsolutePath();
            jcmd(pid, "JFR.stop", "name=" + name, "filename=" + recording);
            List<String> copy;
            synchronized (dumps) {
                copy = List.copyOf(dumps);
            }
            Path summary = dir.resolve(name + ".txt");
            Files.writeString(summary, TopFrames.cpu(recording, 30) + "\n" + TopFrames.wall(copy, 30) + "\n" + store);
            System.err.println("[bench] profile of " + name + ": " + summary);
        }
    }
}
