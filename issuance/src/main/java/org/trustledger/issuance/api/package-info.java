/** Commands, events and codes of the issuance step. */
package org.trustledger.issuance.api;
