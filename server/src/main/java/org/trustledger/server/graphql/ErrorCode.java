package org.trustledger.server.graphql;

/** Values of {@code extensions.code} on GraphQL errors (unexpected failures, not business refusals). */
public enum ErrorCode {
    /** The request is malformed in a way the schema cannot express (e.g. a page size out of range). */
    BAD_USER_INPUT,
    /** A development-only field was used on a server not in dev mode. */
    DEV_MODE_DISABLED,
    /** The read model did not catch up with the ledger in time; the write itself succeeded. */
    READ_MODEL_LAGGING,
    /** Another write to the same member won a race several times over; retry the request. */
    CONFLICT,
    /** The database could not be reached; a change was recorded whole or not at all: query, then retry. */
    STORE_UNAVAILABLE,
    /** The ledger refused a read for a business reason (rare: most refusals are payload errors). */
    REFUSED,
    /** The operation needs a logged-in member (session or bearer token). */
    UNAUTHENTICATED,
    /** The caller may not do this (see the README's authorization table). */
    FORBIDDEN,
    /** A string argument is longer than the API accepts. */
    INPUT_TOO_LONG,
    /** Anything else; details are in the server log, never in the response. */
    INTERNAL
}
