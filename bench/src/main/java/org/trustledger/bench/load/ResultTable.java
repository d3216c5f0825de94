package org.trustledger.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one table a run prints: what was measured, the figure, the baseline it is compared with (measured
 * in the same run), their ratio and the target with whether it was met. A row whose phase
 * failed still appears, with the reason, so a broken run cannot pass for a short one.
 */
final class ResultTable {

    record Row(String what, String figure, String baseline, String ratio, String target) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(String what, String figure, String baseline, String ratio, String target) {
        rows.add(new Row(what, figure, baseline, ratio, target));
    }

    void failed(String what, String reason) {
        rows.add(new Row(what, "FAILED: " + reason.replace('|', '/').replace('\n', ' '), "", "", ""));
    }

    void note(String text) {
        notes.add(text);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f /s", perSecond);
    }

    static String millis(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2f x", ratio);
    }

    static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    static String met(boolean met, long failed) {
        return failed == 0 ? met(met) : "NOT met (" + failed + " requests failed, see the details)";
    }

    /**
     * The JMH baselines first, then the figures in its order (2, 3, 6), each in the order it was
     * measured, however the run interleaved them.
     */
    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| what | figure | baseline (same run) | ratio | target |\n");
        out.append("|---|---:|---|---:|---|\n");
        List<Row> ordered = new ArrayList<>(rows);
        ordered.sort(java.util.Comparator.comparingInt(r -> r.what().startsWith("(") ? 0
                : Character.isDigit(r.what().charAt(0)) ? Character.digit(r.what().charAt(0), 10) : 10));
        for (Row r : ordered) {
            out.append("| ").append(r.what()).append(" | ").append(r.figure()).append(" | ").append(r.baseline())
                    .append(" | ").append(r.ratio()).append(" | ").append(r.target()).append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            for (String n : notes) {
                out.append("- ").append(n).append('\n');
            }
        }
        return out.toString();
    }
}
