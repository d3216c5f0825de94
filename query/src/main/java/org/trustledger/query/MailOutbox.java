package org.trustledger.query;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustledger.ledger.api.EmailVerificationRequested;
import org.trustledger.ledger.member.EmailTokens;
import org.trustledger.ledger.rules.Emails;

/**
 * The outbox: every mail the ledger owes someone, written once per event (keyed by the event's id)
 * so redelivery does not send twice. A later issue drains it to SMTP; until then mails are also logged.
 * Never replayed: a rebuild must not mail anyone again.
 */
@ProcessingGroup(MailOutbox.PROCESSING_GROUP)
public class MailOutbox {

    public static final String PROCESSING_GROUP = "outbox";
    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);

    private final MongoCollection<Document> outbox;
    private final EmailTokens tokens;

    public MailOutbox(MongoDatabase database, EmailTokens tokens) {
        MongoCollections.ensure(database, ReadModelCollections.OUTBOX);
        this.outbox = database.getCollection(ReadModelCollections.OUTBOX);
        this.tokens = tokens;
    }

    @EventHandler
    @DisallowReplay
    void on(EmailVerificationRequested e, EventMessage<?> message) {
        String token = tokens.token(e.memberId(), e.email(), e.nonce());
        String body = "Someone (hopefully you) asked to add this address to a trust-ledger account.\n\n"
                + "To confirm it, use this token within 48 hours (until " + e.expiresAt() + "):\n\n    " + token
                + "\n\nfor example with the GraphQL mutation verifyEmail(token: \"" + token + "\").\n"
                + "If this was not you, ignore this mail: the address expires unverified.\n";
        Document mail = new Document("_id", message.getIdentifier()).append("to", e.email())
                .append("subject", "Confirm your email address for trust-ledger").append("body", body)
                .append("token", token).append("sentAt", Date.from(e.requestedAt())).append("state", "PENDING");
        outbox.replaceOne(eq("_id", message.getIdentifier()), mail, new ReplaceOptions().upsert(true));
        log.info("Outbox: mail to {} '{}' with token {}", e.email(), mail.getString("subject"), token);
    }

    /** Mails to one address, oldest first. A support and development view (the outbox is small). */
    public List<Mail> mailsTo(String to) {
        List<Mail> mails = new ArrayList<>();
        outbox.find(eq("to", Emails.normalise(to))).sort(Sorts.ascending("sentAt")).forEach(d -> mails.add(new Mail(
                d.getString("_id"), d.getString("to"), d.getString("subject"), d.getString("body"),
                d.getString("token"), d.getDate("sentAt").toInstant())));
        return mails;
    }

}
