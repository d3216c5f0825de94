package org.trustledger.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The embedded store run on its own, as an operator would for several nodes: {@code java -jar trust-ledger.jar store}. */
final class StoreProcess implements AutoCloseable {

    final int port;
    final Process process;
    final Path log;

    private StoreProcess(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static StoreProcess start(Path dataDir, String name) throws Exception {
        Path jar = Path.of(System.getProperty("trustledger.jar", "target/trust-ledger.jar"));
        int port = ServerProcess.freePort();
        Path logs = Path.of("target", "it-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "store", "--data-dir", dataDir.toString(), "--port", Integer.toString(port));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        StoreProcess store = new StoreProcess(port, pb.start(), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(log) && Files.readString(log).contains("trust-ledger store listening on"))) {
            if (!store.process.isAlive() || System.nanoTime() > deadline) {
                store.close();
                throw new IllegalStateException("The store did not start; see " + log);
            }
            Thread.sleep(100);
        }
        return store;
    }

    /** The URI nodes are given (SPRING_MONGODB_URI). */
    String uri() {
        return "mongodb://127.0.0.1:" + port + "/trustledger";
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
