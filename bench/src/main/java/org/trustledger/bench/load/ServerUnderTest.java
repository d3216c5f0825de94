package org.trustledger.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged server started as an operator starts it ({@code java -jar trust-ledger.jar}) in a child
 * process, on the embedded store in a fresh data directory, with the given CA key algorithm: the load
 * then crosses the same HTTP, security, GraphQL and store layers as production traffic, and the
 * server's CPU is its own process's (so {@code jcmd <pid>} can profile it while the driver measures).
 * Closing stops it and deletes its data; its log stays for reading.
 */
final class ServerUnderTest implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    final String keyAlgorithm;
    final int port;
    final Path log;
    private final Process process;
    private final Path dataDir;

    private ServerUnderTest(String keyAlgorithm, int port, Process process, Path dataDir, Path log) {
        this.keyAlgorithm = keyAlgorithm;
        this.port = port;
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
    }

    /**
     * @param jvmOptions extra options for the server's JVM, e.g. a flight recording; none by default, so
     *                   the server runs as {@code java -jar} runs it
     */
    static ServerUnderTest start(Path jar, Path genesis, String keyAlgorithm, Path logDir, List<String> jvmOptions,
                                 Map<String, String> extraEnvironment) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The server jar " + jar
                    + " is missing: mvn -B -pl server -am package -DskipTests");
        }
        int port = freePort();
        Path dataDir = Files.createTempDirectory("trust-ledger-bench-");
        Files.createDirectories(logDir);
        Path log = logDir.resolve("server-" + keyAlgorithm + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("TRUSTLEDGER_DATA_DIR", dataDir.toString());
        builder.environment().put("TRUSTLEDGER_GENESIS_FILE", genesis.toAbsolutePath().toString());
        builder.environment().put("TRUSTLEDGER_DEV_MODE", "true");
        builder.environment().put("TRUSTLEDGER_PASSPHRASE_HASH_COST", "4");
        builder.environment().put("TRUSTLEDGER_ISSUANCE_KEY_ALGORITHM", keyAlgorithm);
        builder.environment().put("TRUSTLEDGER_ISSUANCE_BASE_URL", "http://127.0.0.1:" + port);
        builder.environment().putAll(extraEnvironment);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        ServerUnderTest server = new ServerUnderTest(keyAlgorithm, port, builder.start(), dataDir, log);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        try {
            server.awaitUp();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Waits until the server's log has a line containing one of {@code texts}; returns the one found. */
    String awaitLog(Duration timeout, String... texts) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String logged = Files.readString(log);
            for (String text : texts) {
                if (logged.contains(text)) {
                    return text;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("None of " + java.util.Arrays.toString(texts) + " in " + log
                        + " within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }

    /** The first exception line of the server's log, or "" (to say why a phase failed). */
    String firstException() throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.matches("^[a-z][\\w.$]*(Exception|Error): .*"))
                .findFirst().orElse("");
    }

    long pid() {
        return process.pid();
    }

    /** Up when {@code GET /graphiql} answers 200, as the project's own process tests wait for it. */
    private void awaitUp() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/graphiql")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The server did not come up within " + START_TIMEOUT.toSeconds() + " s; see "
                + log);
    }

    /** Below Linux's ephemeral range, so that no outgoing connection takes it between the check and the bind. */
    private static int freePort() {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 200; i++) {
            int candidate = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(candidate)) {
                return s.getLocalPort();
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("No free port between 20000 and 32000");
    }

    private void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dataDir, e);
        }
    }
}
