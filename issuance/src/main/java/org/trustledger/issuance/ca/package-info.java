/** The CA hierarchy and its keys: PKCS#12 in software or a PKCS#11 token, behind {@link org.trustledger.issuance.ca.Signer}. */
package org.trustledger.issuance.ca;
