package org.trustledger.ledger.api;

/** Check a passphrase for the account holding {@code email}; returns the member id. Records nothing. */
public record AuthenticateCommand(String email, String passphrase) {
}
