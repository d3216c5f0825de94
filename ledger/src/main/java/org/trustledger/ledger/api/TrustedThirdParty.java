package org.trustledger.ledger.api;

/**
 * The Trusted Third Party whose written confirmation a TTP-assisted assurance rests on (DOMAIN.md
 * section 3): name, kind (notary, bank officer, lawyer...) and ISO country code, upper case.
 */
public record TrustedThirdParty(String name, String kind, String country) {
}
