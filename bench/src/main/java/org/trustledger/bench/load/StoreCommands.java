package org.trustledger.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How many commands the server sent its store during a phase, by collection and command, from the
 * MongoDB driver's metrics the server already exports ({@code mongodb_driver_commands_seconds} at
 * {@code /actuator/prometheus}). Divided by the requests of the phase, it says how many store round
 * trips one request costs, which a CPU profile of the embedded store cannot tell apart.
 */
final class StoreCommands {

    private static final String COUNT = "mongodb_driver_commands_seconds_count{";
    private static final String SUM = "mongodb_driver_commands_seconds_sum{";

    private final Map<String, double[]> counts;

    private StoreCommands(Map<String, double[]> counts) {
        this.counts = counts;
    }

    /** The totals so far; empty when the server exports none. */
    static StoreCommands read(Http http) {
        Map<String, double[]> counts = new HashMap<>();
        Wire.Response r = http.send("GET", "/actuator/prometheus", null);
        if (r.status() != 200) {
            return new StoreCommands(counts);
        }
        for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
            boolean count = line.startsWith(COUNT);
            if (!count && !line.startsWith(SUM)) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String key = label(line, "collection") + " " + label(line, "command")
                    + ("SUCCESS".equalsIgnoreCase(label(line, "status")) ? "" : " (" + label(line, "status") + ")");
            double value = Double.parseDouble(line.substring(close + 1).trim().split(" ")[0]);
            counts.computeIfAbsent(key, k -> new double[2])[count ? 0 : 1] += value;
        }
        return new StoreCommands(counts);
    }

    private static String label(String line, String name) {
        int at = line.indexOf(name + "=\"");
        if (at < 0) {
            return "?";
        }
        int start = at + name.length() + 2;
        return line.substring(start, line.indexOf('"', start));
    }

    /** The commands sent since {@code before}, most frequent first, with their total time in the driver. */
    String since(StoreCommands before, int top) {
        StringBuilder out = new StringBuilder("Store commands during the phase (MongoDB driver metrics): "
                + "count, total seconds, collection command\n");
        counts.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new double[] {
                        e.getValue()[0] - before.counts.getOrDefault(e.getKey(), new double[2])[0],
                        e.getValue()[1] - before.counts.getOrDefault(e.getKey(), new double[2])[1]}))
                .filter(e -> e.getValue()[0] > 0)
                .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "  %8.0f  %7.2f s  %s%n", e.getValue()[0],
                        e.getValue()[1], e.getKey())));
        return out.toString();
    }
}
