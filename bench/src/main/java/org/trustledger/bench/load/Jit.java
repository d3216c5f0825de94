package org.trustledger.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * The server's JIT compiler, as its Prometheus endpoint reports it (Micrometer's
 * {@code jvm.compilation.time}: the compiler threads' accumulated time). A fresh server spends minutes
 * compiling under load (on the 2-core machine, about 170 s of compiler time in the first four minutes
 * of issuance), and a figure measured meanwhile is a figure of the compiler as much as of the code.
 */
final class Jit {

    private Jit() {
    }

    /** Milliseconds the server's JIT has spent compiling since it started; -1 when not published. */
    static long compileMillis(int port) {
        try (Http http = new Http(port)) {
            String text = new String(http.send("GET", "/actuator/prometheus", null).body(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith("jvm_compilation_time")) {
                    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
