/** OpenPGP key signing: the CA's OpenPGP key certifies the verified user ids of an Assured member's key. */
package org.trustledger.issuance.openpgp;
