package org.trustledger.ledger.eventstore;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToInitializeTokenException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Streaming processors' positions in MongoDB, one document per processor segment keyed by
 * {@code processor/segment}. Claims carry an owner and a timestamp so that two nodes never process
 * the same segment; a claim not extended within the claim timeout may be taken over.
 *
 * <p>Without transactions, a token is stored after the processor's unit of work commits: a crash in
 * between means the batch is delivered again, which the idempotent projections absorb.
 */
public class MongoTokenStore implements TokenStore {

    private final MongoCollection<Document> tokens;
    private final Serializer serializer;
    private final String owner;
    private final Duration claimTimeout;
    private final Clock clock;
    private final String storageId;

    public MongoTokenStore(MongoDatabase database, Serializer serializer, Duration claimTimeout, Clock clock) {
        MongoCollections.ensure(database, "tracking_tokens", "ledger_settings");
        this.tokens = database.getCollection("tracking_tokens");
        this.serializer = serializer;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
        this.claimTimeout = claimTimeout;
        this.clock = clock;
        this.storageId = storageIdentifier(database);
    }

    private static String storageIdentifier(MongoDatabase database) {
        MongoCollection<Document> settings = database.getCollection("ledger_settings");
        try {
            settings.insertOne(new Document("_id", "storage-identifier").append("value", UUID.randomUUID().toString()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        return settings.find(eq("_id", "storage-identifier")).first().getString("value");
    }

    private static String id(String processorName, int segment) {
        return processorName + "/" + segment;
    }

    private long now() {
        return clock.millis();
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) {
        initializeTokenSegments(processorName, segmentCount, null);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
        if (fetchSegments(processorName).length > 0) {
            throw new UnableToClaimTokenException("Could not initialize segments: some were already present.");
        }
        for (int segment = 0; segment < segmentCount; segment++) {
            initializeSegment(initialToken, processorName, segment);
        }
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        Document doc = new Document("_id", id(processorName, segment)).append("processorName", processorName)
                .append("segment", segment).append("owner", null).append("timestamp", now());
        writeToken(doc, token);
        try {
            tokens.insertOne(doc);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                throw new UnableToInitializeTokenException("Token " + id(processorName, segment) + " already exists");
            }
            throw e;
        }
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return true;
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) {
        Runnable store = () -> {
            Document set = new Document("owner", owner).append("timestamp", now());
            writeToken(set, token);
            long matched = tokens.updateOne(and(eq("_id", id(processorName, segment)), eq("owner", owner)),
                    new Document("$set", set)).getMatchedCount();
            if (matched == 0) {
                throw new UnableToClaimTokenException("Segment " + id(processorName, segment)
                        + " is not claimed by this node any more");
            }
        };
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> store.run());
        } else {
            store.run();
        }
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) {
        Document doc = claim(processorName, segment);
        return readToken(doc);
    }

    @Override
    public void extendClaim(String processorName, int segment) {
        claim(processorName, segment);
    }

    private Document claim(String processorName, int segment) {
        String id = id(processorName, segment);
        Bson claimable = or(eq("owner", null), eq("owner", owner), lt("timestamp", now() - claimTimeout.toMillis()));
        Document doc = tokens.findOneAndUpdate(and(eq("_id", id), claimable),
                Updates.combine(Updates.set("owner", owner), Updates.set("timestamp", now())),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (doc == null) {
            boolean exists = tokens.find(eq("_id", id)).first() != null;
            throw new UnableToClaimTokenException(exists
                    ? "Segment " + id + " is claimed by another node"
                    : "No token was initialized for segment " + id);
        }
        return doc;
    }

    /**
     * Frees every claim, whoever holds it. Only for a store no other node can use (the embedded
     * default, whose file is locked by this process): after a {@code kill -9} the old process's claims
     * would otherwise hold the projections back until the claim timeout.
     */
    public void releaseAllClaims() {
        tokens.updateMany(new Document(), Updates.set("owner", null));
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        tokens.updateOne(and(eq("_id", id(processorName, segment)), eq("owner", owner)), Updates.set("owner", null));
    }

    @Override
    public void deleteToken(String processorName, int segment) {
        long deleted = tokens.deleteOne(and(eq("_id", id(processorName, segment)), eq("owner", owner)))
                .getDeletedCount();
        if (deleted == 0) {
            throw new UnableToClaimTokenException("Segment " + id(processorName, segment) + " is not claimed by this node");
        }
    }

    /** Processors are few and have few segments: this small collection is read whole. */
    @Override
    public int[] fetchSegments(String processorName) {
        List<Integer> segments = new ArrayList<>();
        tokens.find(eq("processorName", processorName)).forEach(d -> segments.add(d.getInteger("segment")));
        return segments.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() {
        return Optional.of(storageId);
    }

    private void writeToken(Document doc, TrackingToken token) {
        if (token == null) {
            doc.append("token", null).append("tokenType", null);
            return;
        }
        SerializedObject<String> s = serializer.serialize(token, String.class);
        doc.append("token", s.getData()).append("tokenType", s.getType().getName());
    }

    private TrackingToken readToken(Document doc) {
        String data = doc.getString("token");
        if (data == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(data, String.class, doc.getString("tokenType"), null));
    }
}
