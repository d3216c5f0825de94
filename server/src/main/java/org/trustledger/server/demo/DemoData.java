package org.trustledger.server.demo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoDatabase;
import java.util.Date;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code --trustledger.demo.members=N} (and {@code trustledger.demo.seed}): fills an empty ledger with a
 * generated web of trust of N members at start-up, for the dashboards' demo and the benchmarks. Done
 * once per store (remembered in {@code ledger_settings}); never on a ledger that already has one.
 */
@Component
public class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final String MARKER = "generated-web-of-trust";
    private final WebOfTrustGenerator generator;
    private final MongoDatabase database;
    private final Environment environment;

    public DemoData(WebOfTrustGenerator generator, MongoDatabase database, Environment environment) {
        this.generator = generator;
        this.database = database;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        int members = environment.getProperty("trustledger.demo.members", Integer.class, 0);
        if (members <= 0) {
            return;
        }
        if (members > 10_000_000) {
            throw new IllegalArgumentException("trustledger.demo.members must be at most 10,000,000, not " + members);
        }
        long seed = environment.getProperty("trustledger.demo.seed", Long.class, 1L);
        var settings = database.getCollection("ledger_settings");
        Document done = settings.find(eq("_id", MARKER)).first();
        if (done != null) {
            log.info("This store already holds a generated web of trust ({} members, seed {}): not generating another",
                    done.get("members"), done.get("seed"));
            return;
        }
        log.info("Generating a web of trust of {} members (seed {}); the passphrase of every generated member is '{}'",
                members, seed, WebOfTrustGenerator.PASSPHRASE);
        WebOfTrustGenerator.Summary summary = generator.generate(members, seed);
        settings.insertOne(new Document("_id", MARKER).append("members", members).append("seed", seed)
                .append("events", summary.events()).append("at", new Date()));
    }
}
