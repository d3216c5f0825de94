/**
 * The ledger's public messages: commands (imperative), events (past tense, with {@code @Revision}
 * from day one so upcasters can follow), the refusal codes and the value types other modules share.
 * One record per file; no {@code byte[]} in records.
 */
package org.trustledger.ledger.api;
