package org.trustledger.bench.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.trustledger.bench.CertificateIssuanceBenchmark;
import org.trustledger.bench.CrlBenchmark;
import org.trustledger.bench.OcspResponseBenchmark;

/**
 * The module's JMH benchmarks run from inside the driver through JMH's {@link Runner} API, before any
 * server starts (so that nothing else competes for the two cores), with short settings: the ratios
 * printed next to the load figures then compare two measurements of the same machine in the same
 * state, minutes apart, instead of a figure against a number copied from another day. One fork;
 * throughput benchmarks warm up 1 x 2 s and measure 2 x 3 s, CRLs one shot to warm up and two measured.
 * Every benchmark runs with one thread (the per-thread figures the targets are stated against); the
 * signing benchmarks (1a, 1b, 1c) run again with two threads, the machine's ceiling with both cores.
 */
final class JmhBaselines {

    /**
     * One JMH figure: e.g. key "1b EC-P256", 1,897 ops/s; with two threads the key ends in
     * {@value #TWO_THREADS} and the score is both threads' together.
     */
    record Baseline(String key, String label, double score, double error, String unit) {

        boolean twoThreads() {
            return key.endsWith(TWO_THREADS);
        }

        /** The key of the same benchmark with one thread. */
        String oneThreadKey() {
            return twoThreads() ? key.substring(0, key.length() - TWO_THREADS.length()) : key;
        }
    }

    static final String TWO_THREADS = " x2";

    private JmhBaselines() {
    }

    /**
     * @param withCrls also the CRL benchmarks (figure 7; about a minute more), so that one run of
     *                 {@code bench/run} covers the whole JMH suite
     */
    static Map<String, Baseline> run(boolean withCrls) throws RunnerException {
        List<String> signing = List.of(
                benchmark(CertificateIssuanceBenchmark.class, "buildAndSign"),
                benchmark(CertificateIssuanceBenchmark.class, "parseCsrCheckBuildAndSign"),
                benchmark(OcspResponseBenchmark.class, "buildAndSign"));
        List<String> oneThread = new ArrayList<>(signing);
        if (withCrls) {
            oneThread.add(benchmark(CrlBenchmark.class, "buildAndSign"));
        }
        Map<String, Baseline> baselines = new LinkedHashMap<>();
        for (Baseline b : run(oneThread, 1)) {
            baselines.put(b.key(), b);
        }
        for (Baseline b : run(signing, 2)) {
            baselines.put(b.key(), b);
        }
        return baselines;
    }

    private static List<Baseline> run(List<String> includes, int threads) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().forks(1).threads(threads)
                .warmupIterations(1).warmupTime(TimeValue.seconds(2))
                .measurementIterations(2).measurementTime(TimeValue.seconds(3))
                .verbosity(VerboseMode.SILENT).shouldFailOnError(true);
        for (String include : includes) {
            options.include(include);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<Baseline> baselines = new ArrayList<>();
        String suffix = threads == 1 ? "" : TWO_THREADS;
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            String key;
            String label;
            if (method.endsWith("CertificateIssuanceBenchmark.buildAndSign")) {
                key = "1a " + r.getParams().getParam("issuerKey");
                label = "(1a) certificate build + sign, " + r.getParams().getParam("issuerKey") + " issuer";
            } else if (method.endsWith("parseCsrCheckBuildAndSign")) {
                key = "1b " + r.getParams().getParam("issuerKey");
                label = "(1b) certificate from a PEM CSR, " + r.getParams().getParam("issuerKey") + " issuer";
            } else if (method.endsWith("OcspResponseBenchmark.buildAndSign")) {
                key = "1c " + r.getParams().getParam("responderKey");
                label = "(1c) OCSP response build + sign, " + r.getParams().getParam("responderKey") + " responder";
            } else {
                key = "7 " + r.getParams().getParam("revoked");
                label = String.format("(7) CRL of %,d entries, EC-P256",
                        Integer.parseInt(r.getParams().getParam("revoked")));
            }
            // With two threads JMH's score is the sum of both threads' throughput.
            baselines.add(new Baseline(key + suffix, label + (threads == 1 ? " (JMH, 1 thread)" : " (JMH, 2 threads)"),
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    r.getPrimaryResult().getScoreUnit()));
        }
        return baselines;
    }

    /** JMH includes are regular expressions: the method's full name, quoted, anchored at the end. */
    private static String benchmark(Class<?> type, String method) {
        return Pattern.quote(type.getName() + "." + method) + "$";
    }
}
