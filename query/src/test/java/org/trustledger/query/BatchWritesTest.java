package org.trustledger.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trustledger.ledger.api.AssuranceGiven;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.api.AssuranceRecorded;
import org.trustledger.ledger.api.AssuranceVoided;
import org.trustledger.ledger.api.EmailVerificationRequested;
import org.trustledger.ledger.api.EmailVerified;
import org.trustledger.ledger.api.FoundingAssurerRecognised;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.testing.TestMongo;

/**
 * The members and history projections as their processors run them: events in batches, each batch's
 * documents written in bulk when it commits, documents it creates sent as inserts. A batch gives what
 * the events handled one by one give, and a batch processed again after failing part-way (its other
 * writes stored, its members' documents and heads not) gives it too.
 */
class BatchWritesTest {

    static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
    static final List<String> COLLECTIONS = List.of(ReadModelCollections.MEMBERS, ReadModelCollections.ASSURANCES,
            ReadModelCollections.MEMBER_EMAILS, ReadModelCollections.PENDING_VERIFICATIONS,
            ReadModelCollections.MEMBER_GIVEN, ReadModelCollections.PROJECTION_STATUS, TimelineProjection.ENTRIES,
            TimelineProjection.HEADS, ReadModelCollections.VOIDED_ASSURANCES);
    TestMongo mongo;

    @BeforeEach
    void setUp() {
        mongo = new TestMongo();
    }

    @AfterEach
    void tearDown() {
        mongo.close();
    }

    static List<EventMessage<?>> events() {
        List<EventMessage<?>> events = new ArrayList<>();
        Map<String, Long> seq = new LinkedHashMap<>();
        java.util.function.BiConsumer<String, Object> add = (member, payload) -> {
            long n = seq.merge(member, 1L, Long::sum) - 1;
            events.add(new GenericDomainEventMessage<>("Member", member, n, payload, MetaData.emptyInstance(),
                    member + "-" + n, T.plusSeconds(events.size())));
        };
        add.accept("f", new MemberRegistered("f", new PersonName("Alice", null, "Founder", null), LocalDate.of(1970, 1, 1),
                "f@example.org", "h", List.of(), T));
        add.accept("f", new EmailVerified("f", "f@example.org", T));
        add.accept("f", new FoundingAssurerRecognised("f", 100, 50, true, "genesis", T));
        for (String m : List.of("m", "n")) {
            add.accept(m, new MemberRegistered(m, new PersonName("Ada", null, m, null), LocalDate.of(1990, 1, 1),
                    m + "@example.org", "h", List.of(), T));
            add.accept(m, new EmailVerificationRequested(m, m + "@example.org", "nonce", T, T.plusSeconds(3600)));
            add.accept(m, new EmailVerified(m, m + "@example.org", T));
            add.accept(m, new AssuranceRecorded("a-" + m, m, "f", AssuranceKind.FACE_TO_FACE, 35, 35,
                    LocalDate.of(2026, 11, 22), "Berlin", "Ada " + m, List.of("passport"), true, true, T));
            add.accept("f", new AssuranceGiven("a-" + m, "f", m, AssuranceKind.FACE_TO_FACE, 35, LocalDate.of(2026, 11, 22), T));
        }
        AssuranceVoided voided = new AssuranceVoided("case-1", "a-n", "n", "f", AssuranceKind.FACE_TO_FACE, "wrong", T);
        add.accept("n", voided);
        add.accept("f", voided);
        return events;
    }

    /** Two projections over one database, fed as their processors would be. */
    static final class Projections {
        final MongoDatabase db;
        final AnnotationEventHandlerAdapter members;
        final AnnotationEventHandlerAdapter history;

        Projections(MongoDatabase db) {
            this.db = db;
            this.members = new AnnotationEventHandlerAdapter(new MemberProjection(db));
            this.history = new AnnotationEventHandlerAdapter(new TimelineProjection(db));
        }

        /** One processor's batch each: handled, then written as the unit of work commits. */
        void batch(List<EventMessage<?>> events) {
            for (AnnotationEventHandlerAdapter projection : List.of(members, history)) {
                BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(events);
                unitOfWork.executeWithResult(() -> projection.handle(unitOfWork.getMessage()),
                        RollbackConfigurationType.ANY_THROWABLE);
                assertThat(unitOfWork.getExecutionResult().isExceptionResult()).isFalse();
            }
        }

        /** Outside a unit of work: each event's writes at once. */
        void oneByOne(List<EventMessage<?>> events) throws Exception {
            for (EventMessage<?> event : events) {
                members.handle(event);
                history.handle(event);
            }
        }

        Map<String, List<Document>> documents() {
            Map<String, List<Document>> all = new LinkedHashMap<>();
            for (String name : COLLECTIONS) {
                all.put(name, db.getCollection(name).find().sort(new Document("_id", 1)).into(new ArrayList<>()));
            }
            return all;
        }
    }

    @Test
    void batches_give_the_documents_that_events_one_by_one_give() throws Exception {
        List<EventMessage<?>> events = events();
        Projections single = new Projections(mongo.freshDatabase());
        single.oneByOne(events);
        Projections whole = new Projections(mongo.freshDatabase());
        whole.batch(events);
        Projections split = new Projections(mongo.freshDatabase());
        split.batch(events.subList(0, 7));
        split.batch(events.subList(7, events.size()));

        Map<String, List<Document>> expected = single.documents();
        assertThat(expected.get(ReadModelCollections.MEMBERS)).hasSize(3);
        assertThat(expected.get(TimelineProjection.ENTRIES)).hasSizeGreaterThan(10);
        assertThat(expected.get(ReadModelCollections.ASSURANCES)).filteredOn(d -> d.getBoolean("voided"))
                .extracting(d -> d.getString("_id")).containsExactly("a-n");
        assertThat(whole.documents()).isEqualTo(expected);
        assertThat(split.documents()).isEqualTo(expected);
    }

    @Test
    void a_batch_processed_again_after_failing_part_way_gives_the_same_documents() {
        List<EventMessage<?>> events = events();
        Projections projections = new Projections(mongo.freshDatabase());
        projections.batch(events.subList(0, 4));
        Map<String, List<Document>> before = projections.documents();
        projections.batch(events.subList(4, events.size()));
        Map<String, List<Document>> expected = projections.documents();

        // The second batch failed after writing its other collections: its members' documents and timeline
        // heads (written last), and the count of applied events, are as the first batch left them.
        for (String name : List.of(ReadModelCollections.MEMBERS, TimelineProjection.HEADS, ReadModelCollections.PROJECTION_STATUS)) {
            MongoCollection<Document> collection = projections.db.getCollection(name);
            collection.deleteMany(new Document());
            if (!before.get(name).isEmpty()) {
                collection.insertMany(before.get(name));
            }
        }
        projections.batch(events.subList(4, events.size()));
        assertThat(projections.documents()).isEqualTo(expected);
    }

    @Test
    void an_insert_of_a_stored_document_replaces_it_and_the_writes_after_it_go_on() {
        MongoCollection<Document> c = mongo.freshDatabase().getCollection("c");
        c.insertOne(new Document("_id", "x").append("v", 1).append("old", true));
        List<WriteModel<Document>> writes = List.of(new InsertOneModel<>(new Document("_id", "y").append("v", 1)),
                new InsertOneModel<>(new Document("_id", "x").append("v", 2)),
                new InsertOneModel<>(new Document("_id", "z").append("v", 3)),
                new UpdateOneModel<>(new Document("_id", "x"), Updates.set("w", 4)));
        BulkWrites.inOrder(c, writes);
        assertThat(c.find().sort(new Document("_id", 1)).into(new ArrayList<>())).containsExactly(
                new Document("_id", "x").append("v", 2).append("w", 4), new Document("_id", "y").append("v", 1),
                new Document("_id", "z").append("v", 3));
    }

    @Test
    void any_other_failure_stops_the_writes() {
        MongoCollection<Document> c = mongo.freshDatabase().getCollection("c");
        c.createIndex(new Document("u", 1), new IndexOptions().unique(true));
        c.insertOne(new Document("_id", "x").append("u", 1));
        List<WriteModel<Document>> writes = List.of(new InsertOneModel<>(new Document("_id", "y").append("u", 1)),
                new InsertOneModel<>(new Document("_id", "z").append("u", 2)));
        assertThatThrownBy(() -> BulkWrites.inOrder(c, writes)).isInstanceOf(MongoException.class)
                .hasMessageContaining("duplicate key");
        assertThat(c.find().into(new ArrayList<>())).containsExactly(new Document("_id", "x").append("u", 1));
    }
}
