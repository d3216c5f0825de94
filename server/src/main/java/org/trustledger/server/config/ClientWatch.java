package org.trustledger.server.config;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the embedded store still has this process as its only client. The embedded default may assume
 * it is the store's sole writer (its file is locked by this process) only while nobody else connects to
 * its loopback port, as a second node pointed at it does (TwoInstancesTest). This process's driver
 * announces a name of its own in every connection's handshake; a command on a connection that did not
 * (another process, a shell) makes the store shared, for good: from then on the event store looks in the
 * store as a node of a deployment does, and the aggregate caches are dropped.
 */
final class ClientWatch {

    private static final Logger log = LoggerFactory.getLogger(ClientWatch.class);
    private final String clientName = "trust-ledger-" + UUID.randomUUID();
    private final Set<Channel> own = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean shared = new AtomicBoolean();

    /** The application name this process's driver announces (MongoClientSettings.applicationName). */
    String clientName() {
        return clientName;
    }

    /** False once a client other than this process's own has sent the store a command. */
    boolean soleClient() {
        return !shared.get();
    }

    /** Called by the backend before it handles each command. */
    void command(Channel channel, String command, Document query) {
        if (shared.get() || own.contains(channel)) {
            return;
        }
        if (isHandshake(command) && clientName.equals(applicationName(query))) {
            own.add(channel);
            channel.closeFuture().addListener(closed -> own.remove(channel));
            return;
        }
        if (shared.compareAndSet(false, true)) {
            log.warn("Another client ({}) sent the embedded store a command ({}): this node no longer takes itself for "
                    + "the store's only writer and reads what it would otherwise have known. Nodes of a deployment "
                    + "should share a MongoDB replica set (spring.mongodb.uri) instead.", channel.remoteAddress(), command);
        }
    }

    private static boolean isHandshake(String command) {
        return command.equalsIgnoreCase("hello") || command.equalsIgnoreCase("isMaster");
    }

    private static String applicationName(Document query) {
        if (query.get("client") instanceof Document client && client.get("application") instanceof Document app
                && app.get("name") instanceof String name) {
            return name;
        }
        return null;
    }
}
