package org.trustledger.bench.load;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The load driver: runs the JMH baselines, then the packaged server in a child process once per CA key
 * algorithm, drives it over HTTP and GraphQL as clients would, and prints one table of figure,
 * baseline measured in the same run, ratio and target (issue figures 2, 3 and 6; the JMH figures 1a,
 * 1b, 1c and 7 are the baselines). Each figure is compared with a baseline taken minutes apart on the
 * same machine, because the shared 2-core machine's absolute numbers move from one hour to the next
 * while such ratios hold.
 *
 * <p>The ledger figures (assurances, member queries) are measured on the first server only: they do
 * not depend on the CA key. Any phase that fails is reported as a failed row and the run goes on.
 * Run by {@code bench/run}; options in {@link Settings}, plus {@code --profile} to record where the
 * server's time goes in each main phase ({@link PhaseProfiler}; it slows the server, so its figures
 * are not the ones to quote).
 */
public final class LoadDriver {

    private static final Duration FLOOR_WARMUP = Duration.ofSeconds(2);
    private static final Duration FLOOR_MEASURE = Duration.ofSeconds(8);
    private static final Duration LATENCY_WARMUP = Duration.ofSeconds(2);
    /** Open-loop workers: enough to keep the schedule while requests take up to 32 / rate each. */
    private static final int OPEN_LOOP_WORKERS = 32;
    private static final int CSR_KEYS = 1024;
    private static final int OCSP_SERIALS = 1_000;
    /** Members of the store (beyond the run's own) that member queries draw from. */
    private static final int MEMBER_SAMPLE = 3_000;
    private static final double ISSUANCE_P99_TARGET_MS = 25;
    private static final double QUERY_P99_TARGET_MS = 10;
    private static final double ASSURANCE_TARGET_PER_SECOND = 1_000;
    private static final double HISTORY_P99_TARGET_MS = 20;
    /** Figure 4's target: 1,000,000 events in 60 s. */
    private static final double REBUILD_TARGET_PER_SECOND = 1_000_000 / 60.0;
    private static final Duration HISTORY_MEASURE = Duration.ofSeconds(8);

    private final Settings settings;
    private final ResultTable table = new ResultTable();
    private final List<String> details = new ArrayList<>();
    private final PhaseProfiler profiler;
    private Map<String, JmhBaselines.Baseline> baselines = new LinkedHashMap<>();

    private LoadDriver(Settings settings, PhaseProfiler profiler) {
        this.settings = settings;
        this.profiler = profiler;
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        boolean profile = false;
        for (String a : args) {
            if (a.equals("--profile")) {
                profile = true;
            } else {
                rest.add(a);
            }
        }
        Settings settings = Settings.parse(rest.toArray(String[]::new));
        LoadDriver driver = new LoadDriver(settings, profile ? PhaseProfiler.into(settings.outDir().resolve("profiles"))
                : PhaseProfiler.off());
        long start = System.nanoTime();
        String report = driver.run();
        report += String.format(Locale.ROOT, "%nDriver time (JMH and servers, without the build): %.1f min.%n",
                (System.nanoTime() - start) / 60e9);
        Files.createDirectories(settings.outDir());
        Path file = settings.outDir().resolve("table.md");
        Files.writeString(file, report);
        System.out.println();
        System.out.println(report);
        progress("table written to " + file);
    }

    private String run() {
        if (settings.jmh()) {
            jmh();
        }
        boolean first = true;
        for (String algorithm : settings.algorithms()) {
            if (settings.phases().stream().anyMatch(List.of("issuance", "ocsp", "ledger")::contains)) {
                serverPhases(algorithm, first);
            }
            first = false;
        }
        if (settings.phases().contains("store") && settings.demoMembers() > 0) {
            generatedStore();
        }
        StringBuilder report = new StringBuilder(table.markdown());
        report.append("\nPhase details (closed-loop latencies include waiting for the previous answer; open-loop "
                + "latencies are measured from the moment each request was due; cores are CPU time over the "
                + "measured window, of 2):\n\n");
        for (String d : details) {
            report.append("- ").append(d).append('\n');
        }
        return report.toString();
    }

    private void jmh() {
        progress("JMH baselines (1 fork, 1 thread and then 2 threads, 1 x 2 s warm-up, 2 x 3 s measured each)...");
        try {
            long busy = CpuMeter.machineBusyNanos();
            long wall = System.nanoTime();
            baselines = JmhBaselines.run(settings.crls());
            details.add(String.format(Locale.ROOT, "JMH: the machine was busy %.2f cores on average while it ran "
                    + "(1 thread for most of it, then 2 for the signing benchmarks' second round; more is the JIT, "
                    + "GC or someone else)",
                    (CpuMeter.machineBusyNanos() - busy) / (double) (System.nanoTime() - wall)));
            for (JmhBaselines.Baseline b : baselines.values()) {
                String figure = b.unit().equals("ops/s") ? ResultTable.rate(b.score())
                        : String.format(Locale.ROOT, "%.2f %s", b.score(), b.unit().replace("/op", " per CRL"));
                if (b.twoThreads()) {
                    // Both cores: the machine's ceiling; the ratio says how far the second thread adds. The
                    // one-thread round ran the same benchmarks (JmhBaselines.run), so the figure is there.
                    JmhBaselines.Baseline one = baselines.get(b.oneThreadKey());
                    table.add(b.label(), figure, "1 thread: " + ResultTable.rate(one.score()),
                            ResultTable.times(b.score() / one.score()), "the ceiling with both cores");
                } else {
                    String role = switch (b.key().substring(0, 2)) {
                        case "1a" -> "reference: (1b) without the CSR";
                        case "1b" -> "baseline of 2";
                        case "1c" -> "baseline of 6";
                        default -> "reference (figure 7)";
                    };
                    table.add(b.label(), figure, "-", "-", role);
                }
                details.add(String.format(Locale.ROOT, "%s: %.2f %s%s", b.label(), b.score(), b.unit(),
                        Double.isNaN(b.error()) ? "" : String.format(Locale.ROOT, " ± %.2f (99.9 %%)", b.error())));
            }
        } catch (Exception e) {
            table.failed("JMH baselines", e.toString());
            e.printStackTrace();
        }
    }

    /** The server's JVM options: those given ({alg} replaced by the tag) and what the profiler needs. */
    private List<String> serverJvm(String tag) {
        List<String> jvm = new ArrayList<>(settings.serverJvmOptions().stream().map(o -> o.replace("{alg}", tag)).toList());
        jvm.addAll(profiler.serverJvmOptions());
        return jvm;
    }

    private void serverPhases(String algorithm, boolean ledgerFigures) {
        progress("starting the server with " + algorithm + " CA keys...");
        List<String> jvm = serverJvm(algorithm);
        try (ServerUnderTest server = ServerUnderTest.start(settings.jar(), settings.genesis(), algorithm,
                settings.outDir(), jvm, Map.of());
             Http http = new Http(server.port)) {
            Community community = new Community(http, "bench-" + algorithm.toLowerCase(Locale.ROOT));
            List<BigInteger> serials = settings.phases().contains("issuance")
                    ? issuance(server, http, community, algorithm) : List.of();
            if (settings.phases().contains("ocsp")) {
                ocsp(server, http, serials, algorithm);
            }
            if (ledgerFigures && settings.phases().contains("ledger")) {
                assurancesAndQueries(server, http, community);
            }
        } catch (Exception e) {
            table.failed("server with " + algorithm + " CA keys", e.toString());
            e.printStackTrace();
        }
    }

    private List<BigInteger> issuance(ServerUnderTest server, Http http, Community community, String algorithm) {
        int clients = settings.issuanceClients();
        String what = "2. issuance, " + algorithm + " issuer: requestCertificate with a PEM CSR via GraphQL, "
                + clients + " clients";
        List<BigInteger> serials = new ArrayList<>();
        try {
            progress("issuance (" + algorithm + "): setting up " + settings.issuanceMembers() + " members...");
            List<Community.Member> members = community.register(settings.issuanceMembers(), true,
                    settings.setupThreads());
            IssuanceLoad load = new IssuanceLoad(http, members, CSR_KEYS);
            settleJit(server, "issuance " + algorithm, clients, i -> load.client(i, clients));
            LoadResult rate = closed(server, http, algorithm + "-issuance", "issuance " + algorithm, clients,
                    settings.issuanceWarmup(), settings.issuanceMeasure(), i -> load.client(i, clients));
            JmhBaselines.Baseline b1b = baselines.get("1b " + algorithm);
            boolean ec = algorithm.startsWith("EC");
            if (b1b == null) {
                table.add(what, ResultTable.rate(rate.perSecond()), "(1b) not measured", "-", "");
            } else {
                double ratio = rate.perSecond() / b1b.score();
                table.add(what, ResultTable.rate(rate.perSecond()),
                        "(1b) " + algorithm + ": " + ResultTable.rate(b1b.score()),
                        ResultTable.percent(ratio), ">= 25 % of (1b)" + (ec ? ", stretch 50 %" : "") + ": "
                                + ResultTable.met(ratio >= 0.25, rate.failed())
                                + (ec && ratio >= 0.5 ? " (stretch met)" : ""));
            }
            rightsCheck(http, algorithm, b1b);
            double half = rate.perSecond() / 2;
            String latencyWhat = "2. issuance latency, " + algorithm + ", open loop at half the achieved rate ("
                    + String.format(Locale.ROOT, "%.1f /s", half) + ")";
            if (half <= 0) {
                table.failed(latencyWhat, "no certificate issued in the throughput phase");
            } else {
                LoadResult paced = open(server, http, algorithm + "-issuance-half-rate",
                        "issuance " + algorithm + " at half rate", half,
                        LATENCY_WARMUP, settings.latencyMeasure(), load.shared());
                double p99 = paced.latencies().percentileMillis(99);
                table.add(latencyWhat, "p99 " + ResultTable.millis(p99) + " (p50 "
                                + ResultTable.millis(paced.latencies().percentileMillis(50)) + ")",
                        b1b == null ? "(1b) not measured"
                                : "(1b) time per certificate: " + ResultTable.millis(1000 / b1b.score()),
                        b1b == null ? "-" : ResultTable.times(p99 / (1000 / b1b.score())),
                        "p99 <= 25 ms: " + ResultTable.met(p99 <= ISSUANCE_P99_TARGET_MS, paced.failed()));
            }
            for (BigInteger s : load.serials) {
                if (serials.size() == OCSP_SERIALS) {
                    break;
                }
                serials.add(s);
            }
        } catch (Exception e) {
            table.failed(what, e.toString());
            e.printStackTrace();
        }
        return serials;
    }

    private void ocsp(ServerUnderTest server, Http http, List<BigInteger> serials, String algorithm) {
        int clients = settings.ocspClients();
        String what = "6. OCSP responses, " + algorithm + " responder, " + clients + " clients";
        try {
            OcspLoad load = new OcspLoad(http, serials);
            load.check();
            JmhBaselines.Baseline b1c = baselines.get("1c " + algorithm);
            for (String method : List.of("POST", "GET")) {
                LoadResult rate = closed(server, http, algorithm + "-ocsp-" + method,
                        "ocsp " + method + " " + algorithm, clients, settings.ocspWarmup(), settings.ocspMeasure(),
                        i -> method.equals("POST") ? load.post(i, clients) : load.get(i, clients));
                String label = what + ", " + method + " /ocsp/class1" + (method.equals("GET") ? "/<base64>" : "")
                        + " (" + serials.size() + " good serials, no nonce)";
                if (b1c == null) {
                    table.add(label, ResultTable.rate(rate.perSecond()), "(1c) not measured", "-", ">= (1c)");
                } else {
                    double ratio = rate.perSecond() / b1c.score();
                    table.add(label, ResultTable.rate(rate.perSecond()), "(1c) " + algorithm + ": "
                                    + ResultTable.rate(b1c.score()), ResultTable.percent(ratio),
                            ">= 100 % of (1c): " + ResultTable.met(ratio >= 1, rate.failed()));
                }
            }
        } catch (Exception e) {
            table.failed(what, e.toString());
            e.printStackTrace();
        }
    }

    private void assurancesAndQueries(ServerUnderTest server, Http http, Community community) {
        AssuranceLoad assurances;
        try {
            progress("assurances: making " + settings.assurers() + " Assurers, then registering assurees for "
                    + settings.assureeBudget().toSeconds() + " s...");
            long t0 = System.nanoTime();
            List<Community.Member> assurers = community.register(settings.assurers(), true, settings.setupThreads());
            community.makeAssurers(assurers, settings.setupThreads());
            long t1 = System.nanoTime();
            List<Community.Member> assurees = community.registerFor(settings.assureeBudget(), settings.assureesMax(),
                    settings.setupThreads());
            List<Community.Member> all = new ArrayList<>(community.founders);
            all.addAll(assurers);
            assurances = new AssuranceLoad(http, all, assurees);
            details.add(String.format(Locale.ROOT, "community set-up: %d Assurers (3 founders + %d new) in %.1f s; "
                    + "%d assurees registered and verified in %.1f s by %d clients (%.1f /s); "
                    + "%,d assurer/assuree pairs",
                    all.size(), assurers.size(), (t1 - t0) / 1e9, assurees.size(), (System.nanoTime() - t1) / 1e9,
                    settings.setupThreads(), assurees.size() / ((System.nanoTime() - t1) / 1e9),
                    assurances.pairsLeft()));
        } catch (Exception e) {
            table.failed("3. assurances", "set-up: " + e);
            e.printStackTrace();
            return;
        }
        List<String> ids = new ArrayList<>(community.everyone.stream().map(Community.Member::id).toList());
        ids.addAll(community.sampleMemberIds(MEMBER_SAMPLE));
        MemberQueryLoad queries = new MemberQueryLoad(http, community.support().token(),
                ids.stream().distinct().toList());
        for (int clients : List.of(1, settings.assuranceClients())) {
            String what = "3. assurances recorded via GraphQL (recordAssurance), "
                    + (clients == 1 ? "sequential (1 client)" : clients + " concurrent clients");
            try {
                LoadResult floor = closed(server, http, null, "floor { __typename } " + clients + " clients", clients,
                        FLOOR_WARMUP, FLOOR_MEASURE, i -> queries.floor());
                LoadResult rate = closed(server, http, "assurances-" + clients, "assurances " + clients + " clients",
                        clients, settings.assuranceWarmup(), settings.assuranceMeasure(),
                        i -> assurances.client(i, clients));
                table.add(what + (rate.exhausted() ? String.format(Locale.ROOT, " (pairs ran out: %.1f s measured)",
                                rate.seconds()) : ""), ResultTable.rate(rate.perSecond()),
                        "GraphQL floor { __typename }, " + clients + " client(s): "
                                + ResultTable.rate(floor.perSecond()),
                        ResultTable.percent(rate.perSecond() / floor.perSecond()),
                        ">= 1,000 /s: " + ResultTable.met(rate.perSecond() >= ASSURANCE_TARGET_PER_SECOND,
                                rate.failed()));
            } catch (Exception e) {
                table.failed(what, e.toString());
                e.printStackTrace();
            }
        }
        memberQueries(server, http, community, queries, "store built through the API in this run");
    }

    private void memberQueries(ServerUnderTest server, Http http, Community community, MemberQueryLoad queries,
                               String storeKind) {
        double rate = settings.queryRate();
        String what = "3. member points/rights query via GraphQL (member(id) as support), open loop at "
                + ResultTable.rate(rate) + ", " + storeKind;
        try {
            JsonNode stats = community.stats();
            String size = String.format(Locale.ROOT, "%,d members, %,d events, %,d assurances, %,d certificates",
                    stats.path("members").asLong(), stats.path("events").asLong(), stats.path("assurances").asLong(),
                    stats.path("certificates").asLong());
            size += String.format(Locale.ROOT, "; queries over %,d of them", queries.members());
            progress("member queries; store: " + size);
            LoadResult floor = open(server, http, null, "floor { __typename } at " + rate + "/s", rate,
                    settings.queryWarmup(), FLOOR_MEASURE, queries.floor());
            LoadResult paced = open(server, http, "member-query",
                    "member query at " + rate + "/s (" + storeKind + ")", rate,
                    settings.queryWarmup(), settings.queryMeasure(), queries.member());
            double p99 = paced.latencies().percentileMillis(99);
            double floorP99 = floor.latencies().percentileMillis(99);
            boolean kept = paced.failed() == 0 && paced.perSecond() >= 0.98 * rate;
            table.add(what + "; store: " + size, "p99 " + ResultTable.millis(p99) + " (p50 "
                            + ResultTable.millis(paced.latencies().percentileMillis(50)) + ", "
                            + ResultTable.rate(paced.perSecond()) + " answered)",
                    "floor { __typename } at the same rate: p99 " + ResultTable.millis(floorP99),
                    ResultTable.times(p99 / floorP99), "p99 <= 10 ms at 1,000 /s (full target: 100,000 members, "
                            + "1,000,000 events; measured at the size shown): "
                            + ResultTable.met(p99 <= QUERY_P99_TARGET_MS && kept));
            int clients = settings.queryClients();
            LoadResult floorMax = closed(server, http, null, "floor { __typename } " + clients + " clients", clients,
                    FLOOR_WARMUP, FLOOR_MEASURE, i -> queries.floor());
            LoadResult max = closed(server, http, null, "member query " + clients + " clients", clients, FLOOR_WARMUP,
                    FLOOR_MEASURE, i -> queries.member());
            table.add("3. member points/rights query, most per second (closed loop, " + clients + " clients)",
                    ResultTable.rate(max.perSecond()), "GraphQL floor { __typename }, " + clients + " clients: "
                            + ResultTable.rate(floorMax.perSecond()),
                    ResultTable.percent(max.perSecond() / floorMax.perSecond()),
                    "context for the row above");
            table.note("Member query (" + storeKind + "): " + size + "; the issue's full target is 100,000 members "
                    + "and 1,000,000 events, more than this run's time budget can build on the embedded store.");
        } catch (Exception e) {
            table.failed(what, e.toString());
            e.printStackTrace();
        }
    }

    /**
     * The member query again, on a bigger store: a third server (EC-P256 keys) started with the project's
     * generated web of trust ({@code trustledger.demo.members}), measured once its projections have
     * caught up. Generation and catch-up together must fit in {@code --demo-seconds}; past that the row
     * fails with the reason instead of running the suite past its budget.
     */
    private void generatedStore() {
        String what = String.format(Locale.ROOT, "3. member points/rights query, generated web of trust of %,d members",
                settings.demoMembers());
        progress(String.format(Locale.ROOT, "a store with a generated web of trust of %,d members...",
                settings.demoMembers()));
        List<String> jvm = serverJvm("store");
        long deadline = System.nanoTime() + settings.demoBudget().toNanos();
        ServerUnderTest started = null;
        try (ServerUnderTest server = ServerUnderTest.start(settings.jar(), settings.genesis(), "EC-P256",
                settings.outDir().resolve("store"), jvm,
                Map.of("TRUSTLEDGER_DEMO_MEMBERS", Integer.toString(settings.demoMembers())));
             Http http = new Http(server.port)) {
            started = server;
            long t0 = System.nanoTime();
            // A store already holding one (a data directory given with -Dtrustledger.data-dir, copied from a
            // store generated before, to measure the rebuild again without generating) is taken as it is.
            String found = server.awaitLog(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                    "Generated a web of trust", "already holds a generated web of trust");
            long t1 = System.nanoTime();
            Community.awaitProjections(http, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            // The genesis file's founders are recorded at start-up after the demo data.
            Community community = new Community(http, "bench-store");
            details.add(String.format(Locale.ROOT, "generated web of trust: %,d members %s in %.0f s; projections "
                    + "caught up %.0f s later", settings.demoMembers(),
                    found.startsWith("Generated") ? "written" : "found in the store given", (t1 - t0) / 1e9,
                    (System.nanoTime() - t1) / 1e9));
            progress("  " + details.get(details.size() - 1));
            if (settings.storeQueries()) {
                List<String> ids = community.sampleMemberIds(MEMBER_SAMPLE);
                // This JVM has only generated: its request path is warmed here, not measured, until its JIT settles.
                MemberQueryLoad warm = new MemberQueryLoad(http, community.support().token(), ids);
                settleJit(server, "member query and floor on the generated store, 16 clients", 16,
                        i -> i % 2 == 0 ? warm.member() : warm.floor());
                memberQueries(server, http, community, new MemberQueryLoad(http, community.support().token(), ids),
                        "generated web of trust");
                history(server, http, community, ids);
            }
            rebuild(server, http, community);
        } catch (Exception e) {
            String logged = "";
            try {
                logged = started == null ? "" : started.firstException();
            } catch (java.io.IOException ignored) {
                // the log is only there to say more
            }
            table.failed(what, e.getMessage() + (logged.isEmpty() ? "" : "; the server logged: " + logged));
            e.printStackTrace();
        }
    }

    /**
     * Figure 5: {@code pointsAsOf} and {@code voidingImpact} for the busiest Assurer of the generated store,
     * one client, next to the floor measured right before.
     */
    private void history(ServerUnderTest server, Http http, Community community, List<String> ids) {
        String what = "5. pointsAsOf / voidingImpact via GraphQL, busiest Assurer of the generated web of trust";
        try {
            HistoryLoad load = HistoryLoad.busiest(http, community.support().token(), ids);
            JsonNode stats = community.stats();
            String member = String.format(Locale.ROOT, "member with %,d assurances given, %,d history entries; store: "
                    + "%,d events", load.assurancesGiven, load.historyEntries, stats.path("events").asLong());
            progress("history queries; " + member);
            MemberQueryLoad floorQueries = new MemberQueryLoad(http, community.support().token(), ids);
            LoadResult floor = closed(server, http, null, "floor { __typename } 1 client", 1, FLOOR_WARMUP,
                    HISTORY_MEASURE, i -> floorQueries.floor());
            double floorP99 = floor.latencies().percentileMillis(99);
            for (String query : List.of("pointsAsOf", "voidingImpact")) {
                LoadResult r = closed(server, http, query, query + " 1 client", 1, FLOOR_WARMUP, HISTORY_MEASURE,
                        i -> query.equals("pointsAsOf") ? load.pointsAsOf() : load.voidingImpact());
                double p99 = r.latencies().percentileMillis(99);
                table.add("5. " + query + " via GraphQL (1 client, as support), " + member,
                        "p99 " + ResultTable.millis(p99) + " (p50 " + ResultTable.millis(r.latencies().percentileMillis(50))
                                + ")",
                        "floor { __typename }, 1 client: p99 " + ResultTable.millis(floorP99),
                        ResultTable.times(p99 / floorP99),
                        "p99 <= 20 ms (full target: 1,000 assurances in a 1,000,000-event store): "
                                + ResultTable.met(p99 <= HISTORY_P99_TARGET_MS, r.failed()));
            }
        } catch (Exception e) {
            table.failed(what, e.toString());
            e.printStackTrace();
        }
    }

    /**
     * Figure 4: every projection rebuilt from the event store ({@code rebuildProjections}, as an operator
     * does), timed until every processor has caught up again, with the heap sampled meanwhile.
     */
    private void rebuild(ServerUnderTest server, Http http, Community community) {
        String what = "4. projection rebuild from the event store";
        try {
            long events = community.stats().path("events").asLong();
            List<Double> rates = new ArrayList<>();
            for (int round = 1; round <= settings.rebuilds(); round++) {
                rates.add(rebuildOnce(server, http, community, events, round));
            }
            List<Double> sorted = rates.stream().sorted().toList();
            double perSecond = sorted.get(sorted.size() / 2);
            double seconds = events / perSecond;
            table.add(String.format(Locale.ROOT, "4. projection rebuild (rebuildProjections, every projection), "
                            + "%,d events of the generated web of trust, median of %d", events, rates.size()),
                    String.format(Locale.ROOT, "%.1f s = %,.0f events/s (1,000,000 at this rate: %.0f s)", seconds,
                            perSecond, 1_000_000 / perSecond),
                    "target rate: 1,000,000 events in 60 s = 16,667 events/s",
                    ResultTable.percent(perSecond / REBUILD_TARGET_PER_SECOND),
                    "<= 60 s for 1,000,000 events: " + ResultTable.met(perSecond >= REBUILD_TARGET_PER_SECOND));
        } catch (Exception e) {
            table.failed(what, e.toString());
            e.printStackTrace();
        }
    }

    /** One rebuild, timed until every processor is at the head again; its rate in events per second. */
    private double rebuildOnce(ServerUnderTest server, Http http, Community community, long events, int round)
            throws Exception {
        String support = community.support().token();
        progress(String.format(Locale.ROOT, "rebuilding every projection from %,d events (%d of %d)...", events,
                round, settings.rebuilds()));
        long liveBefore = liveHeap(server, http);
        long heapBefore = heapUsed(http);
        long heapPeak = heapBefore;
        ProcessHandle process = ProcessHandle.of(server.pid()).orElseThrow();
        long cpu0 = process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        long jit0 = Jit.compileMillis(server.port);
        PhaseProfiler.Session profile = profiler.start(server.pid(), "rebuild" + (round == 1 ? "" : "-" + round), http);
        long t0 = System.nanoTime();
        http.must(support, "mutation { rebuildProjections { name } }", Map.of(), "rebuildProjections");
        double answered = (System.nanoTime() - t0) / 1e9;
        // When each processor was first seen at the head (polled every 0.2 s): which one the rebuild waits for.
        Map<String, Double> finished = new java.util.LinkedHashMap<>();
        // Five minutes, or a thousand events a second for a store too large for that.
        Duration limit = Duration.ofSeconds(Math.max(300, events / 1_000));
        long deadline = t0 + limit.toNanos();
        while (true) {
            Thread.sleep(200);
            heapPeak = Math.max(heapPeak, heapUsed(http));
            // Caught up: position at the head. (Axon keeps a reset processor's "replaying" flag until an event
            // newer than the reset arrives, so that flag says nothing here.) rebuildProjections has reset
            // the tokens before it answers, so no processor is caught up until it has replayed.
            JsonNode status = http.must(support, "{ projectionStatus { name caughtUp } }", Map.of(),
                    "projectionStatus");
            boolean done = true;
            for (JsonNode p : status) {
                boolean caughtUp = p.path("caughtUp").asBoolean();
                done &= caughtUp;
                if (caughtUp) {
                    finished.putIfAbsent(p.path("name").asText(), (System.nanoTime() - t0) / 1e9);
                }
            }
            if (done) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rebuild did not finish within " + limit.toSeconds() + " s: " + status);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        profile.close();
        double perSecond = events / seconds;
        double cpuSeconds = (process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) - cpu0) / 1e9;
        long jit1 = Jit.compileMillis(server.port);
        String cores = String.format(Locale.ROOT, "server %.2f cores", cpuSeconds / seconds)
                + (jit0 < 0 || jit1 < 0 ? "" : String.format(Locale.ROOT, " (JIT compiler %.2f)", (jit1 - jit0) / 1000.0 / seconds));
        long liveAfter = liveHeap(server, http);
        details.add(String.format(Locale.ROOT, "rebuild %d of %d: %,d events in %.1f s = %,.0f events/s; heap used "
                + "%,d MB before, at most %,d MB during (sampled every 0.2 s); live heap after a full GC %,d MB before, "
                + "%,d MB after; %s, %.3f ms of server CPU per event; "
                + "rebuildProjections answered after %.1f s (processors stopped, read models emptied); each processor at "
                + "the head after: %s",
                round, settings.rebuilds(), events, seconds, perSecond, heapBefore >> 20, heapPeak >> 20, liveBefore >> 20,
                liveAfter >> 20, cores,
                cpuSeconds * 1000 / events, answered, finishTimes(finished)));
        progress("  " + details.get(details.size() - 1));
        return perSecond;
    }

    /** "members 4.1 s, history 3.2 s, ...", slowest first. */
    static String finishTimes(Map<String, Double> finished) {
        return finished.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * Figure 3's rights check inside issuance: the server times every certificate request's rights check
     * ({@code trustledger_issuance_rights_check_seconds}, p50 and p99 over its last two minutes, which
     * here are the issuance phase's warm-up and measurement).
     */
    private void rightsCheck(Http http, String algorithm, JmhBaselines.Baseline b1b) {
        String what = "3. rights check inside issuance (" + algorithm + " server), during the issuance phase";
        String text = new String(http.send("GET", "/actuator/prometheus", null).body(),
                java.nio.charset.StandardCharsets.UTF_8);
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (String line : text.split("\n")) {
            if (line.startsWith("trustledger_issuance_rights_check_seconds{")) {
                double ms = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
                if (line.contains("quantile=\"0.5\"")) {
                    p50 = ms;
                } else if (line.contains("quantile=\"0.99\"")) {
                    p99 = ms;
                }
            }
        }
        if (Double.isNaN(p99)) {
            table.failed(what, "the server published no trustledger_issuance_rights_check_seconds");
            return;
        }
        details.add(String.format(Locale.ROOT, "rights check inside issuance (%s): p50 %.3f ms, p99 %.3f ms", algorithm,
                p50, p99));
        table.add(what, String.format(Locale.ROOT, "p99 %.3f ms (p50 %.3f ms)", p99, p50),
                b1b == null ? "(1b) not measured" : "(1b) time per certificate: " + ResultTable.millis(1000 / b1b.score()),
                b1b == null ? "-" : ResultTable.times(p99 / (1000 / b1b.score())),
                "p99 <= 0.2 ms: " + ResultTable.met(p99 <= 0.2));
    }

    /**
     * The server's heap after a full collection ({@code jcmd <pid> GC.run}): what is live, which "heap used"
     * is not (it counts garbage not yet collected). Taken outside every timed window.
     */
    private static long liveHeap(ServerUnderTest server, Http http) throws java.io.IOException, InterruptedException {
        PhaseProfiler.jcmd(server.pid(), "GC.run");
        return heapUsed(http);
    }

    /** The server's heap in use, from its Prometheus endpoint. */
    private static long heapUsed(Http http) {
        String text = new String(http.send("GET", "/actuator/prometheus", null).body(),
                java.nio.charset.StandardCharsets.UTF_8);
        long used = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return used;
    }

    /**
     * Runs {@code client}'s load, not measured, in 10 s rounds until the server's JIT compiler took at most
     * {@code --jit-settled} of a core over a round (default 0.1), or {@code --jit-warmup-max} has passed
     * (default 75 s): a fresh server spends minutes compiling, and its figures should be those of the
     * code, not of the compiler. What it took goes into the details.
     */
    private void settleJit(ServerUnderTest server, String name, int clients, IntFunction<Supplier<Outcome>> client)
            throws InterruptedException {
        Duration round = Duration.ofSeconds(10);
        long start = System.nanoTime();
        long before = Jit.compileMillis(server.port);
        if (before < 0) {
            details.add("JIT warm-up skipped: the server publishes no jvm_compilation_time");
            return;
        }
        progress(name + ": JIT warm-up (not a figure), until compilation takes at most "
                + settings.jitSettledCores() + " of a core, at most " + settings.jitWarmupMax().toSeconds() + " s...");
        List<String> rounds = new ArrayList<>();
        double cores;
        do {
            long t = System.nanoTime();
            ClosedLoop.run(name + " JIT warm-up", clients, Duration.ZERO, round, client);
            long after = Jit.compileMillis(server.port);
            cores = (after - before) / 1e3 / ((System.nanoTime() - t) / 1e9);
            before = after;
            rounds.add(String.format(Locale.ROOT, "%.2f", cores));
        } while (cores > settings.jitSettledCores()
                && System.nanoTime() - start < settings.jitWarmupMax().toNanos());
        details.add(String.format(Locale.ROOT, "JIT warm-up before %s: %.0f s of its load, %s; the compiler's cores "
                        + "in each 10 s round: %s", name, (System.nanoTime() - start) / 1e9,
                cores <= settings.jitSettledCores() ? "settled" : "NOT settled (time limit)", String.join(", ", rounds)));
        progress("  " + details.get(details.size() - 1));
    }

    /**
     * A closed-loop phase with its CPU use, and a profile of it when asked for and {@code profile} names
     * one. The phase's connections are closed after it, as its client threads end with it.
     */
    private LoadResult closed(ServerUnderTest server, Http http, String profile, String name, int clients,
                              Duration warmup, Duration measure, IntFunction<Supplier<Outcome>> client)
            throws Exception {
        progress(name + "...");
        CpuMeter cpu = CpuMeter.window(server.pid(), server.port, warmup, measure);
        LoadResult result;
        try (PhaseProfiler.Session p = profile == null ? PhaseProfiler.off().start(server.pid(), name, http)
                : profiler.start(server.pid(), profile, http)) {
            result = ClosedLoop.run(name, clients, warmup, measure, client);
        } finally {
            http.close();
        }
        detail(result, cpu);
        return result;
    }

    /** An open-loop phase at {@code perSecond}, with its CPU use (and profile, as {@link #closed}). */
    private LoadResult open(ServerUnderTest server, Http http, String profile, String name, double perSecond,
                            Duration warmup, Duration measure, Supplier<Outcome> send) throws Exception {
        progress(name + "...");
        CpuMeter cpu = CpuMeter.window(server.pid(), server.port, warmup, measure);
        LoadResult result;
        try (PhaseProfiler.Session p = profile == null ? PhaseProfiler.off().start(server.pid(), name, http)
                : profiler.start(server.pid(), profile, http)) {
            result = OpenLoop.run(name, perSecond, warmup, measure, OPEN_LOOP_WORKERS, send);
        } finally {
            http.close();
        }
        detail(result, cpu);
        return result;
    }

    private void detail(LoadResult r, CpuMeter cpu) throws InterruptedException {
        String line = String.format(Locale.ROOT, "%s; %s, %.2f ms of server CPU per request", r.describe(), cpu.cores(),
                cpu.serverMillisPer(r.perSecond()));
        details.add(line);
        progress("  " + line);
    }

    private static void progress(String text) {
        System.err.println("[bench] " + text);
    }
}
