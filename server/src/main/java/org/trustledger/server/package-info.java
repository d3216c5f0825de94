/**
 * The application: the only module that sees all others. Configuration, the embedded MongoDB default,
 * genesis, the GraphQL controllers and the GraphiQL page.
 */
package org.trustledger.server;
