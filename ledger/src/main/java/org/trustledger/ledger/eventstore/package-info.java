/**
 * Axon event storage on MongoDB through the plain driver: a global gap-aware sequence (the design
 * of Axon's JdbcEventStorageEngine), hot paths only by exact key, atomic multi-event batches without
 * transactions, snapshots, and a token store for streaming processors.
 */
package org.trustledger.ledger.eventstore;
