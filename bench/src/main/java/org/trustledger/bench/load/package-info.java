/**
 * The load driver: the packaged server run as a child process and driven over HTTP and GraphQL as
 * clients drive it (issuance, assurances, member queries, OCSP), each figure printed next to a baseline
 * measured in the same run (the module's JMH benchmarks, or the cheapest GraphQL request) and the
 * issue's target. Entry point {@link org.trustledger.bench.load.LoadDriver}, run by {@code bench/run}.
 */
package org.trustledger.bench.load;
