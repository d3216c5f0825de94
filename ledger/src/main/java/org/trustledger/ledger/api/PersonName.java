package org.trustledger.ledger.api;

/** A member's name as on the account: the names an assurer checks against the ID documents. */
public record PersonName(String givenNames, String middleName, String familyName, String suffix) {

    /** The name as one line, in the order it appears on documents. */
    public String fullName() {
        StringBuilder sb = new StringBuilder(givenNames);
        if (middleName != null && !middleName.isBlank()) {
            sb.append(' ').append(middleName);
        }
        sb.append(' ').append(familyName);
        if (suffix != null && !suffix.isBlank()) {
            sb.append(' ').append(suffix);
        }
        return sb.toString();
    }
}
