package org.trustledger.issuance.api;

/** Which form of the member's verified name goes into the CN (Assured Members only). */
public enum NameVariant {
    GIVEN_FAMILY, GIVEN_MIDDLE_FAMILY, GIVEN_FAMILY_SUFFIX, FULL
}
