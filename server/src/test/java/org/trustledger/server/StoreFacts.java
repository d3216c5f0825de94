package org.trustledger.server;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.bson.Document;
import org.trustledger.server.config.EmbeddedMongo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the event store itself holds, read straight from a stopped server's store (not through the
 * server under test): the visible events (a batch counts only with its completion marker) and the
 * read-model collections, for the reliability tests to compare with what clients were told.
 */
final class StoreFacts {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The read models that are rebuilt from the events (the outbox and revocation orders never are). */
    public static final List<String> READ_MODELS = List.of("member_view", "assurance_view", "member_emails",
            "member_given", "certificates", "certificate_requests", "member_timeline", "voided_assurances",
            "certificates_issued");

    /** A visible event: its global index, its aggregate's id and sequence number, its type's simple name and its payload. */
    public record Event(long index, String aggregate, long sequence, String type, JsonNode payload) {

        @Override
        public String toString() {
            return index + " " + aggregate + "/" + sequence + " " + type;
        }
    }

    public final List<Event> events = new ArrayList<>();
    /** Events written by a batch that never got its completion marker: invisible to everyone. */
    public int abandoned;
    public final Map<String, List<Document>> readModels = new LinkedHashMap<>();

    static {
        // Opening a store outside Spring: keep the store's and driver's connection chatter out of the test log.
        for (String name : List.of("de.bwaldvogel", "org.mongodb.driver", "io.netty")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private StoreFacts() {
    }

    /** Opens the embedded store file under {@code dataDir} (the server must be stopped) and reads it. */
    public static StoreFacts ofEmbedded(Path dataDir) {
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(dataDir)) {
            return of(mongo.connectionString("trustledger"));
        }
    }

    /** Reads the store at a MongoDB URI. */
    public static StoreFacts of(String uri) {
        try (MongoClient client = MongoClients.create(uri)) {
            return read(client.getDatabase("trustledger"));
        }
    }

    private static StoreFacts read(MongoDatabase db) {
        StoreFacts facts = new StoreFacts();
        Set<Long> complete = new HashSet<>();
        List<Document> all = db.getCollection("events").find().into(new ArrayList<>());
        for (Document d : all) {
            if (d.get("_id") instanceof String id && id.startsWith("batch:")) {
                complete.add(Long.parseLong(id.substring("batch:".length())));
            }
        }
        for (Document d : all) {
            if (!(d.get("_id") instanceof Number index)) {
                continue;
            }
            long batch = ((Number) d.get("batch")).longValue();
            if (((Number) d.get("batchSize")).intValue() > 1 && !complete.contains(batch)) {
                facts.abandoned++;
                continue;
            }
            String type = d.getString("payloadType");
            facts.events.add(new Event(index.longValue(), d.getString("aggregateIdentifier"),
                    ((Number) d.get("sequenceNumber")).longValue(), type.substring(type.lastIndexOf('.') + 1),
                    JSON.readTree(d.getString("payload"))));
        }
        facts.events.sort((a, b) -> Long.compare(a.index(), b.index()));
        for (String name : READ_MODELS) {
            facts.readModels.put(name, db.getCollection(name).find().sort(new Document("_id", 1)).into(new ArrayList<>()));
        }
        return facts;
    }

    /** The visible events of one type. */
    public List<JsonNode> payloads(String type) {
        return events.stream().filter(e -> e.type().equals(type)).map(Event::payload).toList();
    }

    /** How many visible events of {@code type} have each value of {@code key}. */
    public Map<String, Integer> countBy(String type, Function<JsonNode, String> key) {
        Map<String, Integer> counts = new HashMap<>();
        payloads(type).forEach(p -> counts.merge(key.apply(p), 1, Integer::sum));
        return counts;
    }
}
