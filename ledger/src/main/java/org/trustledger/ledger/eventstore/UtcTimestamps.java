package org.trustledger.ledger.eventstore;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the UTC timestamps the store writes ({@code 2026-11-23T12:00:00.123456789Z}, and any ISO-8601
 * instant of the form {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}) without {@code Instant.parse}, whose
 * general formatter cost more than the rest of reading an event: in profiles of a projection rebuild,
 * parsing timestamps (the engine's, Axon's and Jackson's of the payloads) was about a tenth of the server's
 * CPU. Anything else (another form, a leap second, a date that does not exist) goes to
 * {@code Instant.parse}, which reads it or says what is wrong.
 */
public final class UtcTimestamps {

    private UtcTimestamps() {
    }

    /** The instant {@code text} stands for, as {@code Instant.parse} reads it, which says what is wrong if anything is. */
    public static Instant parse(String text) {
        Instant instant = parsePlain(text);
        return instant != null ? instant : Instant.parse(text);
    }

    /**
     * The instant, if {@code text} is a valid {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} (what {@code Instant.parse}
     * reads it as); null for anything else, valid or not.
     */
    public static Instant parsePlain(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(text, 20, length - 1);
            for (int i = fraction; i < 9 && nanos >= 0; i++) {
                nanos *= 10;
            }
        }
        if ((year | month | day | hour | minute | second | nanos) < 0 || month < 1 || month > 12 || day < 1
                || day > 31 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // the 30th of February and the like
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 if any of it is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
