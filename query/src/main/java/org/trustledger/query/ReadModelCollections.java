package org.trustledger.query;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.trustledger.ledger.rules.MemberFacts;

/** Names of the read-model collections and the mapping of a member document to the rules' facts. */
final class ReadModelCollections {

    static final String MEMBERS = "member_view";
    static final String ASSURANCES = "assurance_view";
    static final String MEMBER_EMAILS = "member_emails";
    static final String OUTBOX = "outbox";
    static final String OUTBOX_UNSENT = "outbox_unsent";
    static final String CASES = "case_view";
    static final String PROJECTION_STATUS = "projection_status";
    /** The assurances a member gave, one document per position ({@code memberId/n}). */
    static final String MEMBER_GIVEN = "member_given";
    /** Only the addresses still awaiting their token: small, so the expiry sweep may read it whole. */
    static final String PENDING_VERIFICATIONS = "pending_verifications";
    /**
     * One document per voided assurance ({@code _id}: the assurance), so that they are counted from the
     * collection's metadata instead of by reading every assurance: see {@link MemberReadModel#voidedAssuranceCount}.
     */
    static final String VOIDED_ASSURANCES = "voided_assurances";

    private ReadModelCollections() {
    }

    static MemberFacts facts(Document doc) {
        List<Integer> awards = new ArrayList<>();
        for (Document r : doc.getList("received", Document.class)) {
            if (!r.getBoolean("voided", false)) {
                awards.add(r.getInteger("points"));
            }
        }
        String dob = doc.getString("dateOfBirth");
        return new MemberFacts(dob == null ? null : LocalDate.parse(dob), awards, doc.getInteger("grantedAp"),
                doc.getInteger("grantedEp"), doc.getInteger("givenFaceToFace"), doc.getBoolean("challengePassed"),
                doc.getBoolean("blockedAsAssurer"), doc.getBoolean("parentalConsent"),
                !doc.getList("verifiedEmails", String.class).isEmpty(),
                !doc.getList("verifiedDomains", String.class, List.of()).isEmpty(), doc.getBoolean("codeSigning"));
    }
}
