package org.trustledger.ledger.rules;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email address syntax and the one normal form used for uniqueness (DOMAIN.md section 1) and lookups. */
public final class Emails {

    /** RFC 5321 limits a path to 256 octets, so an address to 254. */
    public static final int MAX_LENGTH = 254;
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$");

    private Emails() {
    }

    public static String normalise(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean isValid(String normalised) {
        return normalised.length() <= MAX_LENGTH && SHAPE.matcher(normalised).matches();
    }
}
