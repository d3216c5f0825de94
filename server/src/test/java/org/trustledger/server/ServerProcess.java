package org.trustledger.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged server started as a user starts it: {@code java -jar trust-ledger.jar}. */
final class ServerProcess implements AutoCloseable {

    final int port;
    final Process process;
    final Path log;

    private ServerProcess(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ServerProcess start(Path dataDir, String name, Map<String, String> extraEnv) throws Exception {
        int port = freePort();
        Path log = log(name);
        ProcessBuilder pb = jar(log);
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("TRUSTLEDGER_DATA_DIR", dataDir.toString());
        pb.environment().put("TRUSTLEDGER_GENESIS_FILE", Path.of("src/test/resources/genesis-test.json").toAbsolutePath().toString());
        pb.environment().put("TRUSTLEDGER_DEV_MODE", "true");
        pb.environment().put("TRUSTLEDGER_PASSPHRASE_HASH_COST", "4");
        pb.environment().putAll(extraEnv);
        ServerProcess server = new ServerProcess(port, pb.start(), log);
        server.awaitUp();
        return server;
    }

    /** Below Linux's ephemeral range, so another process's outgoing connection cannot take it before we bind. */
    static int freePort() {
        return IssuanceGraphQlTest.freePort();
    }

    private void awaitUp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url("/graphiql")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The server did not come up within 90 s; see " + log);
    }

    /** Whether the server's log has a line containing {@code text} yet. */
    boolean logged(String text) throws IOException {
        return Files.exists(log) && Files.readString(log).contains(text);
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    GraphQlHttp graphQl() {
        return new GraphQlHttp(port);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        stop(process);
    }

    /** {@code java -jar trust-ledger.jar} plus {@code args}, its output to {@code log}. */
    static ProcessBuilder jar(Path log, String... args) {
        Path jar = Path.of(System.getProperty("trustledger.jar", "target/trust-ledger.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("The packaged jar " + jar + " is missing: run mvn verify");
        }
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    /** Where the child process named {@code name} logs: {@code target/it-logs/<name>.log}. */
    static Path log(String name) throws IOException {
        Path logs = Path.of("target", "it-logs");
        Files.createDirectories(logs);
        return logs.resolve(name + ".log");
    }

    /** SIGTERM (shutdown hooks run), SIGKILL if it has not ended within 30 s. */
    static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
