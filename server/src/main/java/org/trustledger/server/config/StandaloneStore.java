package org.trustledger.server.config;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar trust-ledger.jar store [--data-dir DIR] [--host HOST] [--port PORT] [--cache-size MB]}: the embedded
 * MongoDB-compatible store on its own, so that several trust-ledger nodes can share one store (each
 * started with {@code SPRING_MONGODB_URI} set to the address it prints). For trials and the multi-node
 * tests; production runs a MongoDB replica set instead (see the README, "Failure behaviour").
 */
public final class StandaloneStore {

    private StandaloneStore() {
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            run(args);
        } catch (RuntimeException e) {
            System.err.println("trust-ledger store: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws InterruptedException {
        String dataDir = System.getenv().getOrDefault("TRUSTLEDGER_DATA_DIR", "data");
        String host = "127.0.0.1";
        int port = 27017;
        int cacheMb = EmbeddedMongo.DEFAULT_CACHE_MB;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data-dir" -> dataDir = required(args[i], value);
                case "--host" -> host = required(args[i], value);
                case "--port" -> port = port(required(args[i], value));
                case "--cache-size" -> cacheMb = megabytes(required(args[i], value));
                default -> throw usage("Unknown option " + args[i]);
            }
            i++;
        }
        EmbeddedMongo store = EmbeddedMongo.standalone(Path.of(dataDir), host, port, cacheMb);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            stopped.countDown();
        }, "store-shutdown"));
        // The line the operator (and the tests) read to learn where to point the nodes.
        System.out.println("trust-ledger store listening on mongodb://" + store.address().getHostString() + ":"
                + store.address().getPort() + "/trustledger");
        System.out.flush();
        stopped.await();
    }

    private static String required(String option, String value) {
        if (value == null || value.startsWith("--")) {
            throw usage(option + " needs a value");
        }
        return value;
    }

    private static int port(String value) {
        return number(value, 0, 65535, "--port must be a number from 0 to 65535");
    }

    private static int megabytes(String value) {
        return number(value, 1, Integer.MAX_VALUE, "--cache-size must be a whole number of megabytes, at least 1");
    }

    private static int number(String value, int min, int max, String problem) {
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw usage(problem + ", not '" + value + "'");
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem
                + ". Usage: java -jar trust-ledger.jar store [--data-dir DIR] [--host HOST] [--port PORT] [--cache-size MB]");
    }
}
