/**
 * Dispute resolution (DOMAIN.md section 6): cases, their arbitrators and rulings. Every remedy is a
 * ruling event in the case's stream plus its effect in each member's stream, appended as one batch.
 */
package org.trustledger.ledger.arbitration;
