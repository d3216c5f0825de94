package org.trustledger.ledger.member;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RefusalCode;

/**
 * The set-based rule "an email address belongs to at most one account" (DOMAIN.md section 1), kept
 * beside the event store as a lookup by exact key: {@code _id} is the normalised address. Also maps
 * the nonce of an email token to the member and address it was issued for.
 */
public class EmailRegistry {

    /** Unverified accounts and emails expire this long after creation. */
    public static final Duration VERIFICATION_WINDOW = Duration.ofHours(48);

    private final MongoCollection<Document> claims;
    private final MongoCollection<Document> nonces;

    public EmailRegistry(MongoDatabase database) {
        MongoCollections.ensure(database, "email_claims", "email_nonces");
        this.claims = database.getCollection("email_claims");
        this.nonces = database.getCollection("email_nonces");
    }

    /** An address's owner: who claimed it, when, and whether it has been verified. */
    public record Claim(String email, String memberId, Instant claimedAt, boolean verified) {

        boolean expiredAt(Instant now) {
            return !verified && claimedAt.plus(VERIFICATION_WINDOW).isBefore(now);
        }
    }

    /**
     * Claims the address for the member. An address held unverified past the 48 h window is taken over;
     * the previous holder is returned so the caller can expire it.
     *
     * @return the expired previous claim, if one was taken over
     * @throws org.trustledger.ledger.api.LedgerRefusal EMAIL_ALREADY_REGISTERED when another account holds it
     */
    public Optional<Claim> claim(String email, String memberId, Instant now) {
        Document doc = new Document("_id", email).append("memberId", memberId)
                .append("claimedAt", Date.from(now)).append("verified", false);
        try {
            claims.insertOne(doc);
            return Optional.empty();
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Claim existing = find(email).orElseThrow(() -> new IllegalStateException("claim vanished: retry"));
        if (existing.memberId().equals(memberId)) {
            return Optional.empty();
        }
        if (!existing.expiredAt(now)) {
            throw new LedgerRefusal(
                    RefusalCode.EMAIL_ALREADY_REGISTERED,
                    "This email address already belongs to an account.");
        }
        // Compare-and-set on the old holder so two takers cannot both win.
        long replaced = claims.replaceOne(and(eq("_id", email), eq("memberId", existing.memberId()),
                eq("verified", false)), doc).getModifiedCount();
        if (replaced != 1) {
            throw new LedgerRefusal(
                    RefusalCode.EMAIL_ALREADY_REGISTERED,
                    "This email address already belongs to an account.");
        }
        return Optional.of(existing);
    }

    /**
     * Records verified claims of fresh addresses in one write, for a generated ledger (the demo and
     * benchmark data); the addresses must not be claimed yet.
     */
    public void claimVerified(java.util.List<Claim> fresh) {
        if (!fresh.isEmpty()) {
            claims.insertMany(fresh.stream().map(c -> new Document("_id", c.email()).append("memberId", c.memberId())
                    .append("claimedAt", Date.from(c.claimedAt())).append("verified", true)).toList());
        }
    }

    public Optional<Claim> find(String email) {
        Document d = claims.find(eq("_id", email)).first();
        if (d == null) {
            return Optional.empty();
        }
        return Optional.of(new Claim(d.getString("_id"), d.getString("memberId"),
                d.getDate("claimedAt").toInstant(), d.getBoolean("verified", false)));
    }

    /*
     * The owner is checked before writing by _id alone: a filter on _id plus another field is a full
     * scan on the embedded server. Only the member's own aggregate (locked) calls these for it.
     */

    public void markVerified(String email, String memberId) {
        if (find(email).filter(c -> c.memberId().equals(memberId)).isPresent()) {
            claims.updateOne(eq("_id", email), Updates.set("verified", true));
        }
    }

    /** Gives the address up, if (and only if) this member still holds it. */
    public void release(String email, String memberId) {
        if (find(email).filter(c -> c.memberId().equals(memberId)).isPresent()) {
            claims.deleteOne(eq("_id", email));
        }
    }

    public void rememberNonce(String nonce, String memberId, String email) {
        nonces.insertOne(new Document("_id", nonce).append("memberId", memberId).append("email", email));
    }

    /** The member and address a token nonce was issued for. */
    public Optional<String[]> nonceOwner(String nonce) {
        Document d = nonces.find(eq("_id", nonce)).first();
        return d == null ? Optional.empty() : Optional.of(new String[] {d.getString("memberId"), d.getString("email")});
    }
}
