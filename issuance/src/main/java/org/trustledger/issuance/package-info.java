/**
 * Issuance: the only module that touches CA keys. It will consult the projections (through Axon
 * queries, not classes) for a member's rights, lint, then sign with Bouncy Castle under the Class 1
 * root and the Class 3 intermediate, and serve CRL and OCSP. Built by the issuance issue; present now
 * so that the module boundaries hold from the first commit.
 */
package org.trustledger.issuance;
