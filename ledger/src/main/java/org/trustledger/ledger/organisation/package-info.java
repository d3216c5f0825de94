/** Organisations assured by Organisation Assurers: their subject, administrators and verified domains. */
package org.trustledger.ledger.organisation;
