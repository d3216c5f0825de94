package org.trustledger.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's knobs, from {@code --name=value} arguments. The defaults are the sizes and durations of
 * {@code bench/run}, chosen so that the whole suite (build, JMH, two servers) stays under 15 minutes on
 * the 2-core machine; {@code --quick} divides every default duration by three and leaves out the CRLs,
 * for trying the driver out. {@code --phases} picks among issuance, ocsp (needs issuance's serials),
 * ledger (assurances and member queries, on the first algorithm's server) and store (below).
 *
 * <p>The assurees are registered for a time budget rather than to a count: the faster the server
 * registers members, the more assurer/assuree pairs the assurance load has, so that a faster server
 * does not run out of pairs inside the measured window (each pair can be assured once).
 *
 * <p>{@code --demo-members=N} adds a last server holding the project's generated web of trust of N
 * members ({@code trustledger.demo.members}, written straight to the event store at about a thousand
 * events a second), on which the member query is measured again at a size the API could not build in
 * the budget; 0 for none. Generation and catch-up must fit in {@code --demo-seconds}. On that server the
 * projections are then rebuilt {@code --rebuilds} times (3; the figure is the median), after the member
 * and history queries unless {@code --store-queries=false} (for measuring the rebuild alone).
 */
record Settings(Path jar, Path genesis, Path outDir, List<String> algorithms, List<String> phases, boolean jmh,
                boolean crls,
                int issuanceMembers, int issuanceClients, Duration issuanceWarmup, Duration issuanceMeasure,
                Duration latencyMeasure, int ocspClients, Duration ocspWarmup, Duration ocspMeasure,
                int assurers, int assureesMax, Duration assureeBudget, int assuranceClients, Duration assuranceWarmup,
                Duration assuranceMeasure, int demoMembers, Duration demoBudget, double queryRate, Duration queryWarmup,
                Duration queryMeasure, int queryClients, int setupThreads,
                List<String> serverJvmOptions, Duration jitWarmupMax, double jitSettledCores, int rebuilds,
                boolean storeQueries) {

    static Settings parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Arguments are --name=value; got " + arg);
            }
            int eq = arg.indexOf('=');
            given.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        boolean quick = Boolean.parseBoolean(given.remove("quick"));
        int scale = quick ? 3 : 1;
        Reader r = new Reader(given, scale);
        Settings s = new Settings(
                Path.of(r.text("jar", "server/target/trust-ledger.jar")),
                Path.of(r.text("genesis", "server/src/test/resources/genesis-test.json")),
                Path.of(r.text("out", "bench/target/load")),
                Arrays.asList(r.text("algorithms", "EC-P256,RSA-2048").split(",")),
                Arrays.asList(r.text("phases", "issuance,ocsp,ledger,store").split(",")),
                r.flag("jmh", true), r.flag("crls", !quick),
                r.number("issuance-members", 32), r.number("issuance-clients", 8),
                r.seconds("issuance-warmup", 5), r.seconds("issuance-seconds", 15), r.seconds("latency-seconds", 15),
                r.number("ocsp-clients", 8), r.seconds("ocsp-warmup", 3), r.seconds("ocsp-seconds", 10),
                r.number("assurers", 16), r.number("assurees-max", 5_000), r.seconds("assurees-seconds", 24),
                r.number("assurance-clients", 16),
                r.seconds("assurance-warmup", 2), r.seconds("assurance-seconds", 12),
                r.number("demo-members", quick ? 1_000 : 5_000),
                r.seconds("demo-seconds", 300), r.number("query-rate", 1000), r.seconds("query-warmup", 3),
                r.seconds("query-seconds", 15),
                r.number("query-clients", 16), r.number("setup-threads", 16),
                r.text("server-jvm-options", "").isBlank() ? List.of()
                        : Arrays.asList(r.text("server-jvm-options", "").trim().split("\\s+")),
                r.seconds("jit-warmup-max", 75), Double.parseDouble(r.text("jit-settled", "0.1")),
                r.number("rebuilds", 3), r.flag("store-queries", true));
        if (s.rebuilds() < 1) {
            throw new IllegalArgumentException("--rebuilds must be at least 1, not " + s.rebuilds());
        }
        if (!given.keySet().stream().allMatch(r.read::contains)) {
            throw new IllegalArgumentException("Unknown options: " + given.keySet().stream()
                    .filter(k -> !r.read.contains(k)).toList());
        }
        return s;
    }

    /** Reads options with defaults, remembering which it knows so that a misspelt one is refused. */
    private static final class Reader {
        final Map<String, String> given;
        final int scale;
        final java.util.Set<String> read = new java.util.HashSet<>();

        Reader(Map<String, String> given, int scale) {
            this.given = given;
            this.scale = scale;
        }

        String text(String name, String fallback) {
            read.add(name);
            return given.getOrDefault(name, fallback);
        }

        boolean flag(String name, boolean fallback) {
            return Boolean.parseBoolean(text(name, Boolean.toString(fallback)));
        }

        int number(String name, int fallback) {
            return Integer.parseInt(text(name, Integer.toString(fallback)));
        }

        /** Durations given are taken as they are; defaults are divided by the quick scale. */
        Duration seconds(String name, int fallback) {
            read.add(name);
            return given.containsKey(name) ? Duration.ofMillis(Math.round(Double.parseDouble(given.get(name)) * 1000))
                    : Duration.ofMillis(fallback * 1000L / scale);
        }
    }
}
