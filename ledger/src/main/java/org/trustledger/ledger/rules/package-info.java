/**
 * The points rules of DOMAIN.md sections 2, 5 and 7 in one pure-Java place (no Spring, no Axon).
 * Aggregates and projections call these functions; nothing re-implements them.
 */
package org.trustledger.ledger.rules;
