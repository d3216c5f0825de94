package org.trustledger.server.config;

/**
 * Makes durable the writes the calling thread has completed, for a writer that decides itself which of
 * its writes must survive a crash instead of having every write to its collection made durable before
 * it is acknowledged. Used by {@link org.trustledger.server.security.LoginThrottle}: a counted failure
 * must survive a crash before the caller answers; a reservation of a check under way need not (a crash
 * ends the check too), and making each one durable inside the throttle's per-key lock serialised every
 * request of one client address behind a commit (bench/README.md, assurances).
 */
@FunctionalInterface
public interface StoreDurability {

    /** Returns once every write this thread completed before the call is durable. */
    void awaitDurable();

    /**
     * A store that acknowledges each write only once it is durable: a MongoDB replica set (writes acknowledged
     * by a majority, journaled) or the standalone embedded store (which commits every write to a durable
     * collection before it replies, {@link EmbeddedMongo#standalone}).
     */
    StoreDurability EACH_WRITE = () -> { };
}
