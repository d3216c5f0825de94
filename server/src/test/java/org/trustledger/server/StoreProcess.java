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
        int port = ServerProcess.freePort();
        Path log = ServerProcess.log(name);
        StoreProcess store = new StoreProcess(port, ServerProcess.jar(log, "store", "--data-dir", dataDir.toString(),
                "--port", Integer.toString(port)).start(), log);
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
        ServerProcess.stop(process);
    }
}
