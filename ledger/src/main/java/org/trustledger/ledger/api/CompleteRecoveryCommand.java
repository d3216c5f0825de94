package org.trustledger.ledger.api;

/** Lost passphrase, step 2: the answers to the three questions drawn, in their order, and a new passphrase. */
public record CompleteRecoveryCommand(String recoveryId, java.util.List<String> answers, String newPassphrase) {
}
