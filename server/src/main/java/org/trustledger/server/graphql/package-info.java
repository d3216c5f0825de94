/**
 * The GraphQL edge: thin controllers that send commands through Axon's gateway and read the read
 * model; expected refusals become payload errors, anything else a GraphQL error with extensions.code.
 */
package org.trustledger.server.graphql;
