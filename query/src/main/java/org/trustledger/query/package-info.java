/**
 * The read side: projections that derive each member's points, status and issuance rights from the
 * ledger's events (through the points rules, never re-implementing them), the assurances, the email
 * lookup and the mail outbox. Reads events only through Axon handlers; never decides or signs.
 */
package org.trustledger.query;
