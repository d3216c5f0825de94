/**
 * JMH micro benchmarks of what issuance spends its CPU on: building and signing certificates (from a
 * public key and from a PEM CSR), OCSP responses and large CRLs, with ECDSA P-256 and RSA-2048 keys.
 * They measure the raw limits of Bouncy Castle on the machine, through the project's own code wherever
 * that code runs without a Spring context and a database. Run from {@code bench/target/benchmarks.jar}.
 */
package org.trustledger.bench;
