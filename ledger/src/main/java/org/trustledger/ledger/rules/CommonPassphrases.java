package org.trustledger.ledger.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The common-passphrase list shipped with the project ({@code common-passphrases.txt}: Openwall's
 * password.lst and well-known passphrases). A passphrase is common when, lower-cased and without
 * spaces, it is on the list, or is a listed entry repeated or followed only by digits.
 */
public final class CommonPassphrases {

    private static final Set<String> LIST = load();

    private CommonPassphrases() {
    }

    public static boolean isCommon(String passphrase) {
        String p = normalise(passphrase);
        if (LIST.contains(p)) {
            return true;
        }
        String stem = p.replaceAll("[0-9]+$", "");
        if (stem.length() >= 4 && LIST.contains(stem)) {
            return true;
        }
        for (int len = 1; len <= p.length() / 2; len++) {
            if (p.length() % len == 0 && p.substring(0, len).repeat(p.length() / len).equals(p)) {
                return true; // "abcabcabcabc", "aaaaaaaaaa"
            }
        }
        return false;
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace(" ", "");
    }

    private static Set<String> load() {
        Set<String> set = new HashSet<>();
        try (InputStream in = CommonPassphrases.class.getResourceAsStream("common-passphrases.txt");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    set.add(normalise(line.strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The shipped common-passphrase list cannot be read", e);
        }
        return Set.copyOf(set);
    }
}
