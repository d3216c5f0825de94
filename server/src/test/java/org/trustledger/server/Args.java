package org.trustledger.server;

import java.util.Map;

/** Settings as command-line arguments: they outrank application.properties (default properties do not). */
public final class Args {

    private Args() {
    }

    public static String[] of(Map<String, ?> settings) {
        return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
