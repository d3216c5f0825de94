/**
 * The Member aggregate and the command handlers that span members: registration with unique email
 * claims, email verification by token, genesis, and face-to-face assurance (which loads both parties).
 */
package org.trustledger.ledger.member;
