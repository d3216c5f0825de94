/** X.509 certificate contents: the request's key, the certificate template and our lint rules. */
package org.trustledger.issuance.x509;
