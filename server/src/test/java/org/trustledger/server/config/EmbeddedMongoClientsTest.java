package org.trustledger.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store takes this process for its only writer only while no other client talks to it: a
 * second node pointed at its port (or a shell) makes it shared for good.
 */
class EmbeddedMongoClientsTest {

    @TempDir
    Path dataDir;

    @Test
    void on_file_another_client_makes_the_store_shared() {
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir)) {
            check(mongo);
        }
    }

    @Test
    void in_memory_another_client_makes_the_store_shared() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            check(mongo);
        }
    }

    private static void check(EmbeddedMongo mongo) {
        String uri = mongo.connectionString("trustledger");
        try (MongoClient own = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri)).applicationName(mongo.clientName()).build())) {
            own.getDatabase("trustledger").getCollection("c").insertOne(new Document("_id", 1));
            own.getDatabase("trustledger").getCollection("c").find().first();
            assertThat(mongo.soleWriter()).as("after commands of this process's own client").isTrue();
            try (MongoClient other = MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString(uri)).applicationName("trust-ledger-elsewhere").build())) {
                other.getDatabase("trustledger").getCollection("c").find().first();
            }
            assertThat(mongo.soleWriter()).as("after another client's command").isFalse();
            own.getDatabase("trustledger").getCollection("c").insertOne(new Document("_id", 2));
            assertThat(mongo.soleWriter()).as("for good").isFalse();
        }
    }

    /**
     * A whole-collection read larger than the driver's 48 MB reply limit comes in batches, as from MongoDB
     * (mongo-java-server sent everything in one reply: trustGraph of 150,000 members failed).
     */
    @Test
    void a_read_of_more_than_48_mb_comes_in_batches() {
        for (boolean onFile : new boolean[] {true, false}) {
            try (EmbeddedMongo mongo = onFile ? EmbeddedMongo.onFile(dataDir.resolve("big")) : EmbeddedMongo.inMemory();
                 MongoClient client = MongoClients.create(MongoClientSettings.builder()
                         .applyConnectionString(new ConnectionString(mongo.connectionString("trustledger")))
                         .applicationName(mongo.clientName()).build())) {
                var big = client.getDatabase("trustledger").getCollection("big");
                String filler = "x".repeat(20_000);
                for (int batch = 0; batch < 6; batch++) {
                    java.util.List<Document> docs = new java.util.ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        docs.add(new Document("_id", batch * 500 + i).append("filler", filler));
                    }
                    big.insertMany(docs);
                }
                long[] read = {0};
                big.find().forEach(d -> read[0]++);
                assertThat(read[0]).as(onFile ? "on file" : "in memory").isEqualTo(3_000);
            }
        }
    }
}
