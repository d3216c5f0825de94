package org.trustledger.ledger.rules;

import java.net.IDN;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Domain and host names as DOMAIN.md section 7 uses them: a domain a member proves control of, and the
 * host names under it that a server certificate may carry. Names are compared in their ASCII (A-label)
 * lower-case form.
 */
public final class Domains {

    /** The mailboxes a domain control token may be sent to. */
    public static final Set<String> APPROVERS = Set.of("root", "hostmaster", "postmaster", "admin", "webmaster");

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final int MAX_NAME = 253;

    private Domains() {
    }

    /**
     * The normalised form of a domain a member may verify (at least two labels, no wildcard), or empty
     * when it is not a valid domain name.
     */
    public static Optional<String> normaliseDomain(String domain) {
        return normaliseHost(domain, false).filter(d -> d.indexOf('.') > 0);
    }

    /**
     * The normalised form of a host name for a certificate, or empty when invalid. With
     * {@code wildcardAllowed} a single leading {@code *.} label is accepted.
     */
    public static Optional<String> normaliseHost(String name, boolean wildcardAllowed) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            return Optional.empty();
        }
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        String prefix = "";
        if (n.startsWith("*.")) {
            if (!wildcardAllowed) {
                return Optional.empty();
            }
            prefix = "*.";
            n = n.substring(2);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(n, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ascii.isEmpty() || ascii.length() > MAX_NAME) {
            return Optional.empty();
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        // A top-level label is never all digits; this also keeps IP addresses out of dNSName.
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        if (!prefix.isEmpty() && labels.length < 2) {
            return Optional.empty();
        }
        return Optional.of(prefix + ascii);
    }

    /** The verified domain a (normalised) host name lies under, if any; a wildcard counts as its base. */
    public static Optional<String> coveringDomain(String host, Collection<String> verifiedDomains) {
        String base = host.startsWith("*.") ? host.substring(2) : host;
        return verifiedDomains.stream().filter(d -> base.equals(d) || base.endsWith("." + d)).findFirst();
    }
}
