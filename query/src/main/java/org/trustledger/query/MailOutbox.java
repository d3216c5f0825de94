package org.trustledger.query;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
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
import org.trustledger.ledger.api.DomainControlRequested;
import org.trustledger.ledger.api.OrganisationDomainControlRequested;
import org.trustledger.ledger.organisation.OrganisationHandler;
import org.trustledger.ledger.api.EmailVerificationRequested;
import org.trustledger.ledger.api.RecoveryHeld;
import org.trustledger.ledger.api.RecoveryLocked;
import org.trustledger.ledger.member.EmailTokens;
import org.trustledger.ledger.rules.Emails;

/**
 * The outbox: every mail the ledger owes someone, written once per event (keyed by the event's id)
 * so redelivery does not send twice. The server's mail relay drains it to SMTP when one is configured;
 * mails are also logged.
 * Never replayed: a rebuild must not mail anyone again.
 */
@ProcessingGroup(MailOutbox.PROCESSING_GROUP)
public class MailOutbox {

    public static final String PROCESSING_GROUP = "outbox";
    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);

    private final MongoCollection<Document> outbox;
    private final MongoCollection<Document> unsent;
    private final EmailTokens tokens;
    private final String supportAddress;

    public MailOutbox(MongoDatabase database, EmailTokens tokens) {
        this(database, tokens, "support@localhost");
    }

    /** @param supportAddress where alerts for support go (a locked recovery) */
    public MailOutbox(MongoDatabase database, EmailTokens tokens, String supportAddress) {
        this.supportAddress = supportAddress;
        MongoCollections.ensure(database, ReadModelCollections.OUTBOX, ReadModelCollections.OUTBOX_UNSENT);
        this.outbox = database.getCollection(ReadModelCollections.OUTBOX);
        this.unsent = database.getCollection(ReadModelCollections.OUTBOX_UNSENT);
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
        enqueue(message.getIdentifier(), e.email(), "Confirm your email address for trust-ledger", body, token,
                e.requestedAt());
    }

    @EventHandler
    @DisallowReplay
    void on(DomainControlRequested e, EventMessage<?> message) {
        String token = tokens.token(e.memberId(), "domain:" + e.domain(), e.nonce());
        String body = "Someone asked trust-ledger to certify that their account controls the domain " + e.domain()
                + ".\nThis address (" + e.approverEmail() + ") was chosen to approve it.\n\n"
                + "To approve, pass this token on to them, or use it within 48 hours (until " + e.expiresAt()
                + "):\n\n    " + token + "\n\nwith the GraphQL mutation verifyDomain(token: \"" + token + "\").\n"
                + "If you did not expect this, ignore this mail: nothing is certified without the token.\n";
        enqueue(message.getIdentifier(), e.approverEmail(), "Approve domain control of " + e.domain()
                + " for trust-ledger", body, token, e.requestedAt());
    }

    @EventHandler
    @DisallowReplay
    void on(OrganisationDomainControlRequested e, EventMessage<?> message) {
        String token = tokens.token(e.organisationId(), OrganisationHandler.NONCE_SUBJECT + e.domain(), e.nonce());
        String body = "An administrator of an organisation asked trust-ledger to certify that the organisation"
                + " controls the domain " + e.domain() + ".\nThis address (" + e.approverEmail() + ") was chosen to"
                + " approve it.\n\nTo approve, use this token within 48 hours (until " + e.expiresAt() + "):\n\n    "
                + token + "\n\nwith the GraphQL mutation verifyOrganisationDomain(token: \"" + token + "\").\n"
                + "If you did not expect this, ignore this mail: nothing is certified without the token.\n";
        enqueue(message.getIdentifier(), e.approverEmail(), "Approve domain control of " + e.domain()
                + " for an organisation at trust-ledger", body, token, e.requestedAt());
    }

    @EventHandler
    @DisallowReplay
    void on(RecoveryLocked e, EventMessage<?> message) {
        enqueue(message.getIdentifier(), supportAddress, "Passphrase recovery locked for member " + e.memberId(),
                "Passphrase recovery for member " + e.memberId() + " was locked at " + e.lockedAt() + " after "
                        + e.failures() + " failed attempts (DOMAIN.md section 1). Contact the account holder through"
                        + " a verified channel before doing anything else.\n", null, e.lockedAt());
    }

    @EventHandler
    @DisallowReplay
    void on(RecoveryHeld e, EventMessage<?> message) {
        enqueue(message.getIdentifier(), supportAddress, "Passphrase recovery paused for member " + e.memberId(),
                "Passphrase recovery for member " + e.memberId() + " was paused at " + e.heldAt() + " until " + e.until()
                        + " after " + e.failures() + " attempts with a wrong date of birth or address (DOMAIN.md section"
                        + " 1). Someone may be guessing the date of birth; if the account holder asks, contact them"
                        + " through a verified channel.\n", null, e.heldAt());
    }

    /**
     * Queues one mail, keyed by the id of the event (or fact) that owes it: delivering the same key
     * again leaves the mail queued once instead of sending twice.
     *
     * @return whether the mail was new
     */
    public boolean enqueue(String key, String to, String subject, String body, String token, Instant at) {
        Document mail = new Document("_id", key).append("to", Emails.normalise(to)).append("subject", subject)
                .append("body", body).append("token", token).append("sentAt", Date.from(at));
        try {
            outbox.insertOne(mail);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false; // owed once: already queued
        }
        unsent.insertOne(new Document("_id", key));
        log.info("Outbox: mail to {} '{}'{}", to, subject, token == null ? "" : " with token " + token);
        return true;
    }

    /** Mails not yet handed to the SMTP server, oldest first (at most {@code limit}). */
    public List<Mail> unsent(int limit) {
        List<String> keys = new ArrayList<>();
        unsent.find().limit(limit).forEach(d -> keys.add(d.getString("_id")));
        List<Mail> mails = new ArrayList<>();
        outbox.find(in("_id", keys)).forEach(d -> mails.add(mail(d)));
        mails.sort(java.util.Comparator.comparing(Mail::sentAt));
        return mails;
    }

    /** The SMTP server accepted the mail. */
    public void markSent(String key) {
        unsent.deleteOne(eq("_id", key));
    }

    /** Mails to one address, oldest first. A support and development view (the outbox is small). */
    public List<Mail> mailsTo(String to) {
        List<Mail> mails = new ArrayList<>();
        outbox.find(eq("to", Emails.normalise(to))).sort(Sorts.ascending("sentAt")).forEach(d -> mails.add(mail(d)));
        return mails;
    }

    private static Mail mail(Document d) {
        return new Mail(d.getString("_id"), d.getString("to"), d.getString("subject"), d.getString("body"),
                d.getString("token"), d.getDate("sentAt").toInstant());
    }
}
