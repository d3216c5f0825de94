package org.trustledger.server.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Relay cursor pagination over an ordered list of ids; cursors are opaque positions. */
public final class Pages {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    private static final String PREFIX = "pos:";

    private Pages() {
    }

    /** The positions [{@code from}, {@code to}) of a list of {@code total} the arguments ask for. */
    public record Window(int from, int to, int total) {
        public boolean hasNext() {
            return to < total;
        }
    }

    public static Window window(int total, Integer first, String after) {
        int size = first == null ? DEFAULT_PAGE : first;
        if (size < 0 || size > MAX_PAGE) {
            throw new ApiException(ErrorCode.BAD_USER_INPUT, "'first' must be between 0 and " + MAX_PAGE + ".");
        }
        int start = after == null ? 0 : decode(after) + 1;
        int from = Math.min(start, total);
        return new Window(from, Math.min(total, from + size), total);
    }

    public static String cursor(int position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith(PREFIX)) {
                int position = Integer.parseInt(raw.substring(PREFIX.length()));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ApiException(ErrorCode.BAD_USER_INPUT, "'after' is not a cursor returned by this API.");
    }
}
