/**
 * The trust ledger's write side: commands, events, the points rules of DOMAIN.md, the Member
 * aggregate that decides, and the MongoDB event storage engine that records. Depends on nothing
 * else of trust-ledger; may not read projections.
 */
package org.trustledger.ledger;
