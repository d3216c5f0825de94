package org.trustledger.query;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.bson.Document;
import org.trustledger.ledger.api.OrganisationAdminChanged;
import org.trustledger.ledger.api.OrganisationAssured;
import org.trustledger.ledger.api.OrganisationDomainControlRequested;
import org.trustledger.ledger.api.OrganisationDomainVerified;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * Organisations (collection {@code organisations}, one document each, by id): subject, administrators
 * and verified domains. Each document remembers the last event it applied, so redelivery is harmless
 * and issuance can wait until it has seen the organisation's latest event.
 */
@ProcessingGroup(MemberProjection.PROCESSING_GROUP)
public class OrganisationProjection {

    static final String ORGANISATIONS = "organisations";
    private final MongoCollection<Document> organisations;
    private final MongoDatabase database;

    public OrganisationProjection(MongoDatabase database) {
        this.database = database;
        MongoCollections.ensure(database, ORGANISATIONS);
        this.organisations = database.getCollection(ORGANISATIONS);
    }

    @EventHandler
    void on(OrganisationAssured e, @SequenceNumber long seq) {
        if (organisations.find(eq("_id", e.organisationId())).first() != null) {
            return;
        }
        organisations.insertOne(new Document("_id", e.organisationId()).append("name", e.name())
                .append("country", e.country()).append("state", e.state()).append("locality", e.locality())
                .append("admins", new ArrayList<String>()).append("domains", new ArrayList<String>())
                .append("assuredBy", e.assuredBy()).append("assuredAt", Date.from(e.assuredAt())).append("lastSeq", seq));
    }

    @EventHandler
    void on(OrganisationAdminChanged e, @SequenceNumber long seq) {
        update(e.organisationId(), seq, d -> {
            List<String> admins = new ArrayList<>(d.getList("admins", String.class));
            admins.remove(e.memberId());
            if (e.admin()) {
                admins.add(e.memberId());
            }
            d.put("admins", admins);
        });
    }

    @EventHandler
    void on(OrganisationDomainControlRequested e, @SequenceNumber long seq) {
        update(e.organisationId(), seq, d -> { });
    }

    @EventHandler
    void on(OrganisationDomainVerified e, @SequenceNumber long seq) {
        update(e.organisationId(), seq, d -> {
            List<String> domains = new ArrayList<>(d.getList("domains", String.class));
            if (!domains.contains(e.domain())) {
                domains.add(e.domain());
            }
            d.put("domains", domains);
        });
    }

    @ResetHandler
    void reset() {
        MongoCollections.recreate(database, ORGANISATIONS);
    }

    private void update(String id, long seq, Consumer<Document> change) {
        Document d = organisations.find(eq("_id", id)).first();
        if (d == null || d.getLong("lastSeq") >= seq) {
            return;
        }
        change.accept(d);
        d.put("lastSeq", seq);
        organisations.replaceOne(eq("_id", id), d, new ReplaceOptions());
    }

    public Optional<OrganisationView> organisation(String id) {
        Document d = id == null ? null : organisations.find(eq("_id", id)).first();
        return d == null ? Optional.empty() : Optional.of(new OrganisationView(id, d.getString("name"),
                d.getString("country"), d.getString("state"), d.getString("locality"),
                List.copyOf(d.getList("admins", String.class)), List.copyOf(d.getList("domains", String.class)),
                d.getString("assuredBy"), d.getDate("assuredAt").toInstant(), d.getLong("lastSeq")));
    }

    /** The last event of the organisation the read model applied, -1 if none. */
    public long lastSequence(String id) {
        return organisation(id).map(OrganisationView::lastSequence).orElse(-1L);
    }
}
