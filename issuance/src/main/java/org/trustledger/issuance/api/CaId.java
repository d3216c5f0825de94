package org.trustledger.issuance.api;

import java.util.Locale;

/** The two issuing CAs (DOMAIN.md section 8): the Class 1 root and the Class 3 intermediate under it. */
public enum CaId {
    CLASS1, CLASS3;

    /** The name used in URLs and key aliases: {@code class1}, {@code class3}. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CaId ofSlug(String slug) {
        for (CaId id : values()) {
            if (id.slug().equals(slug)) {
                return id;
            }
        }
        throw new IllegalArgumentException("No CA named '" + slug + "': use class1 or class3.");
    }
}
