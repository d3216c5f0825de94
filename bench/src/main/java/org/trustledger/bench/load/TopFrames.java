package org.trustledger.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summaries a person can read of a phase's profile. From a JFR recording, the CPU view: the hottest
 * top frames, the subsystem each sample was in (the topmost frame outside the JDK's own packages names
 * it: H2, the embedded MongoDB server, Axon, Bouncy Castle...) and the project frame nearest the top.
 * From thread dumps, the wall-clock view of the request threads, event processors and store workers: what they
 * were doing (running, sleeping, waiting) and where, including time spent not on a CPU, which a CPU
 * profile cannot show. Run on its own: {@code java -cp benchmarks.jar org.trustledger.bench.load.TopFrames rec.jfr}.
 */
final class TopFrames {

    /** Package prefixes to the subsystem they belong to, most specific first. */
    private static final Map<String, String> SUBSYSTEMS = new LinkedHashMap<>();

    static {
        SUBSYSTEMS.put("org.h2.", "H2 MVStore (embedded store's file)");
        SUBSYSTEMS.put("de.bwaldvogel.mongo.", "mongo-java-server (embedded MongoDB)");
        SUBSYSTEMS.put("io.netty.", "Netty (embedded MongoDB's wire)");
        SUBSYSTEMS.put("com.mongodb.", "MongoDB driver");
        SUBSYSTEMS.put("org.bson.", "BSON codecs");
        SUBSYSTEMS.put("org.bouncycastle.", "crypto (Bouncy Castle / JCA)");
        SUBSYSTEMS.put("com.thoughtworks.xstream.", "XStream (Axon serializer)");
        SUBSYSTEMS.put("org.axonframework.", "Axon");
        SUBSYSTEMS.put("tools.jackson.", "Jackson");
        SUBSYSTEMS.put("com.fasterxml.", "Jackson");
        SUBSYSTEMS.put("graphql.", "graphql-java");
        SUBSYSTEMS.put("org.springframework.graphql.", "Spring for GraphQL");
        SUBSYSTEMS.put("org.springframework.security.", "Spring Security");
        SUBSYSTEMS.put("org.springframework.", "Spring (other)");
        SUBSYSTEMS.put("org.apache.catalina.", "Tomcat");
        SUBSYSTEMS.put("org.apache.coyote.", "Tomcat");
        SUBSYSTEMS.put("org.apache.tomcat.", "Tomcat");
        SUBSYSTEMS.put("io.micrometer.", "Micrometer");
        SUBSYSTEMS.put("ch.qos.logback.", "Logback");
        SUBSYSTEMS.put("org.trustledger.", "trust-ledger's own code");
    }

    /**
     * The threads whose waiting explains a request's latency: Tomcat's request threads, Axon's pooled
     * processors (coordinator and work packages, which feed the read models a mutation waits for) and
     * the embedded MongoDB server's workers.
     */
    private static final List<String> WALL_GROUPS = List.of("-exec-", "Coordinator[", "WorkPackage[",
            "mongo-server-worker", "EmbeddedEventStore");

    private TopFrames() {
    }

    public static void main(String[] args) throws IOException {
        for (String file : args) {
            System.out.println(cpu(Path.of(file), 30));
        }
    }

    /** The CPU view of a JFR recording's execution samples. */
    static String cpu(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> subsystem = new HashMap<>();
        Map<String, Integer> project = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            List<String> frames = new ArrayList<>();
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
            }
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(frames.get(0), 1, Integer::sum);
            subsystem.merge(subsystemOf(frames), 1, Integer::sum);
            project.merge(frames.stream().filter(f -> f.startsWith("org.trustledger.")).findFirst()
                    .orElse("(no trust-ledger frame)"), 1, Integer::sum);
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            threads.merge(group(thread), 1, Integer::sum);
        }
        return "CPU samples (JFR jdk.ExecutionSample) in " + recording.getFileName() + ": " + samples + "\n"
                + table("by thread group", threads, samples, top)
                + table("by subsystem (topmost frame outside java.*, jdk.*, sun.*)", subsystem, samples, top)
                + table("top frames (self)", self, samples, top)
                + table("nearest trust-ledger frame (inclusive)", project, samples, top);
    }

    private static String subsystemOf(List<String> frames) {
        for (String f : frames) {
            if (f.startsWith("sun.security.") || f.startsWith("javax.crypto.") || f.startsWith("java.security.")) {
                return "crypto (Bouncy Castle / JCA)";
            }
            if (f.startsWith("sun.nio.ch.") || f.startsWith("java.io.FileDescriptor.sync")) {
                return "file and socket I/O (JDK)";
            }
            if (f.startsWith("java.") || f.startsWith("jdk.") || f.startsWith("sun.") || f.startsWith("com.sun.")) {
                continue;
            }
            for (Map.Entry<String, String> s : SUBSYSTEMS.entrySet()) {
                if (f.startsWith(s.getKey())) {
                    return s.getValue();
                }
            }
            int method = f.lastIndexOf('.');
            int type = f.lastIndexOf('.', method - 1);
            return "other: " + f.substring(0, Math.max(0, type));
        }
        return "JDK only: " + frames.get(0);
    }

    /**
     * The wall-clock view from {@code jcmd Thread.print} dumps: for request threads and event
     * processors, what each sample found them doing (state, top frame, nearest project frame).
     */
    static String wall(List<String> dumps, int top) {
        Map<String, Map<String, Integer>> byGroup = new LinkedHashMap<>();
        Map<String, Integer> samplesPerGroup = new HashMap<>();
        for (String dump : dumps) {
            for (String block : dump.split("\n\n")) {
                String trimmed = block.strip();
                if (!trimmed.startsWith("\"")) {
                    continue;
                }
                String name = trimmed.substring(1, trimmed.indexOf('"', 1));
                String g = group(name);
                if (WALL_GROUPS.stream().noneMatch(g::contains)) {
                    continue;
                }
                String state = "";
                List<String> frames = new ArrayList<>();
                for (String line : trimmed.split("\n")) {
                    String l = line.strip();
                    if (l.startsWith("java.lang.Thread.State:")) {
                        state = l.substring("java.lang.Thread.State:".length()).strip();
                    } else if (l.startsWith("at ")) {
                        frames.add(l.substring(3, l.indexOf('(') < 0 ? l.length() : l.indexOf('(')));
                    }
                }
                if (frames.isEmpty()) {
                    continue;
                }
                String doing;
                if (frames.stream().limit(8).anyMatch(f -> f.endsWith("TaskQueue.take") || f.endsWith("TaskQueue.poll")
                        || f.endsWith("ThreadPoolExecutor.getTask"))) {
                    doing = "idle (waiting for work)";
                } else {
                    doing = state + " | " + frames.get(0) + " | " + frames.stream()
                            .filter(f -> f.startsWith("org.trustledger.")).findFirst().orElse("-");
                }
                byGroup.computeIfAbsent(g, k -> new HashMap<>()).merge(doing, 1, Integer::sum);
                samplesPerGroup.merge(g, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder("Wall-clock thread samples (jcmd Thread.print x " + dumps.size() + ")\n");
        for (Map.Entry<String, Map<String, Integer>> g : byGroup.entrySet()) {
            out.append(table(g.getKey() + ": state | top frame | nearest trust-ledger frame", g.getValue(),
                    samplesPerGroup.get(g.getKey()), top));
        }
        return out.toString();
    }

    private static String group(String thread) {
        return thread.replaceAll("\\d+", "#");
    }

    private static String table(String title, Map<String, Integer> counts, int total, int top) {
        StringBuilder out = new StringBuilder("\n  ").append(title).append('\n');
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format("  %6.1f %%  %6d  %s%n",
                        100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey())));
        return out.toString();
    }
}
