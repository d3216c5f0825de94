/** Appointed roles and parental consent: decisions that need the authorising member as well. */
package org.trustledger.ledger.roles;
