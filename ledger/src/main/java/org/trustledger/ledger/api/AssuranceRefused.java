package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An assurance attempt the ledger refused, kept for auditors; changes no points. */
@Revision("1")
public record AssuranceRefused(String assurerId, RefusalCode code, String message, Instant attemptedAt) {
}
