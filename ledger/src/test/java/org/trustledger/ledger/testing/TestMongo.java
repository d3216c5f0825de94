package org.trustledger.ledger.testing;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.UUID;

/** A real MongoDB wire server (mongo-java-server, in memory) and a driver client for tests. */
public final class TestMongo implements AutoCloseable {

    private final MongoServer server;
    private final MongoClient client;

    public TestMongo() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
    }

    public MongoDatabase freshDatabase() {
        return client.getDatabase("t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    /** A second client to the same server: what a second node of the application would have. */
    public MongoClient newClient() {
        return MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
    }

    /** A second client that reports every command it sends to {@code listener}. */
    public MongoClient newClient(com.mongodb.event.CommandListener listener) {
        return MongoClients.create(com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString("mongodb://127.0.0.1:"
                        + server.getLocalAddress().getPort()))
                .addCommandListener(listener).build());
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
