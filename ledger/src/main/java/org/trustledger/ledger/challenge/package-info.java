/** The Assurer Challenge (DOMAIN.md section 4): the question bank shipped with the ledger and grading. */
package org.trustledger.ledger.challenge;
