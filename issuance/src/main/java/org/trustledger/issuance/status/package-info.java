/** Certificate status: CRLs and the OCSP responder of each issuing CA. */
package org.trustledger.issuance.status;
