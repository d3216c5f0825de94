package org.trustledger.ledger.member;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.rules.Emails;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.AssuranceRecorded;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RecordAssuranceCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.rules.PointsRules;
import org.trustledger.ledger.rules.Standing;

/**
 * Face-to-face assurance (DOMAIN.md section 2). It needs both parties at once: the assurer's standing
 * decides the maximum award, the assuree's AP decides what counts. Both aggregates are loaded (and so
 * locked) in the order of their ids, so two assurances between the same pair cannot deadlock, and the
 * two events are appended as one batch. A refusal is recorded in the assurer's stream for auditors
 * and answered to the caller; nothing else changes.
 */
public class AssuranceHandler {

    private final Repository<Member> members;
    private final EmailRegistry registry;
    private final AssuranceRegistry assurances;
    private final Clock clock;

    public AssuranceHandler(Repository<Member> members, EmailRegistry registry, AssuranceRegistry assurances,
                            Clock clock) {
        this.members = members;
        this.registry = registry;
        this.assurances = assurances;
        this.clock = clock;
    }

    @CommandHandler
    public AssuranceOutcome handle(RecordAssuranceCommand cmd) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        String email = Emails.normalise(cmd.assureeEmail());
        Optional<String> assureeId = registry.find(email).map(EmailRegistry.Claim::memberId);

        Aggregate<Member> assurer;
        Aggregate<Member> assuree = null;
        try {
            if (assureeId.isPresent() && assureeId.get().compareTo(cmd.assurerId()) < 0) {
                assuree = loadOrNull(assureeId.get());
                assurer = members.load(cmd.assurerId());
            } else {
                assurer = members.load(cmd.assurerId());
                if (assureeId.isPresent() && !assureeId.get().equals(cmd.assurerId())) {
                    assuree = loadOrNull(assureeId.get());
                }
            }
        } catch (AggregateNotFoundException e) {
            return AssuranceOutcome.refused(new LedgerRefusal(RefusalCode.ASSURER_NOT_FOUND,
                    "No member with the assurer's id exists."));
        }

        LedgerRefusal refusal = firstRefusal(cmd, today, assurer, assuree, assureeId);
        if (refusal != null) {
            assurer.execute(m -> m.recordRefusal(refusal, now));
            return AssuranceOutcome.refused(refusal);
        }
        String assuranceId = cmd.assuranceId();
        assurances.record(new AssuranceRegistry.Parties(assuranceId, assureeId.get(), cmd.assurerId(),
                AssuranceKind.FACE_TO_FACE));
        AssuranceRecorded recorded = assuree.invoke(m -> m.receiveAssurance(cmd, assuranceId, now));
        assurer.execute(m -> m.noteAssuranceGiven(recorded));
        return AssuranceOutcome.recorded(assuranceId, recorded.assureeId());
    }

    private Aggregate<Member> loadOrNull(String id) {
        try {
            return members.load(id);
        } catch (AggregateNotFoundException e) {
            return null; // an email claim whose registration never completed
        }
    }

    private static LedgerRefusal firstRefusal(RecordAssuranceCommand cmd, LocalDate today, Aggregate<Member> assurer,
                                              Aggregate<Member> assuree, Optional<String> assureeId) {
        LedgerRefusal form = checkForm(cmd, today);
        if (form != null) {
            return form;
        }
        LedgerRefusal asAssurer = assurer.invoke(m -> m.refusalAsAssurer(today));
        if (asAssurer != null) {
            return asAssurer;
        }
        if (assureeId.isPresent() && assureeId.get().equals(cmd.assurerId())) {
            return new LedgerRefusal(RefusalCode.SELF_ASSURANCE, "Nobody may assure themselves.");
        }
        if (assuree == null) {
            return Member.notFound();
        }
        String email = Emails.normalise(cmd.assureeEmail());
        LedgerRefusal asAssuree = assuree.invoke(m -> m.refusalAsAssuree(cmd.assurerId(), email,
                cmd.assureeDateOfBirth()));
        if (asAssuree != null) {
            return asAssuree;
        }
        Standing standing = PointsRules.standing(assurer.invoke(Member::facts), today);
        if (cmd.points() > standing.maxAssurancePoints()) {
            String why = standing.age() < PointsRules.ADULT_AGE
                    ? "a Junior Assurer may award at most " + PointsRules.JUNIOR_ASSURER_MAX_AWARD
                    : "with " + standing.experiencePoints() + " experience points the assurer may award at most "
                            + standing.maxAssurancePoints();
            return new LedgerRefusal(RefusalCode.POINTS_ABOVE_ASSURER_MAXIMUM,
                    cmd.points() + " points is above the assurer's maximum: " + why + ".");
        }
        return null;
    }

    /** The CAP form's own rules, checked before anyone is looked at. */
    static LedgerRefusal checkForm(RecordAssuranceCommand cmd, LocalDate today) {
        LedgerRefusal refusal = checkPoints(cmd.points());
        if (refusal == null) {
            refusal = checkDate(cmd.date(), today);
        }
        if (refusal != null) {
            return refusal;
        }
        String location = cmd.location() == null ? "" : cmd.location().strip();
        if (location.length() < Member.MIN_LOCATION_LENGTH) {
            return new LedgerRefusal(RefusalCode.LOCATION_TOO_SHORT,
                    "The location needs at least " + Member.MIN_LOCATION_LENGTH + " characters.");
        }
        if (location.length() > Member.MAX_LOCATION_LENGTH) {
            return new LedgerRefusal(RefusalCode.LOCATION_TOO_LONG,
                    "The location may have at most " + Member.MAX_LOCATION_LENGTH + " characters.");
        }
        LedgerRefusal documents = checkDocuments(cmd.documents());
        if (documents != null) {
            return documents;
        }
        if (!cmd.assureeAgreedToCommunityAgreement()) {
            return new LedgerRefusal(RefusalCode.COMMUNITY_AGREEMENT_MISSING,
                    "The assuree must agree to the community agreement.");
        }
        if (!cmd.assurerSawOriginalDocuments()) {
            return new LedgerRefusal(RefusalCode.ORIGINAL_DOCUMENTS_NOT_SEEN,
                    "The assurer must state that the original documents were seen.");
        }
        return null;
    }

    // The form rules every kind of assurance shares (face to face, TTP-assisted, top-up).

    static LedgerRefusal checkPoints(int points) {
        if (points < 0) {
            return new LedgerRefusal(RefusalCode.POINTS_NEGATIVE, "Points awarded cannot be negative (0 means no confidence).");
        }
        if (points > PointsRules.MAX_POINTS_PER_ASSURANCE) {
            return new LedgerRefusal(RefusalCode.POINTS_ABOVE_ASSURER_MAXIMUM,
                    "No assurance may award more than " + PointsRules.MAX_POINTS_PER_ASSURANCE + " points.");
        }
        return null;
    }

    static LedgerRefusal checkDate(LocalDate date, LocalDate today) {
        if (date == null || date.isAfter(today.plusDays(1))) {
            return new LedgerRefusal(RefusalCode.ASSURANCE_DATE_IN_FUTURE,
                    "The assurance date may be at most 1 day in the future.");
        }
        return null;
    }

    static LedgerRefusal checkDocuments(List<String> documents) {
        if (documents == null || documents.isEmpty() || documents.size() > Member.MAX_DOCUMENTS
                || documents.stream().anyMatch(d -> d == null || d.isBlank() || d.length() > Member.MAX_DOCUMENT_LENGTH)) {
            return new LedgerRefusal(RefusalCode.DOCUMENTS_MISSING, "Name the ID document types seen (1 to "
                    + Member.MAX_DOCUMENTS + ", each at most " + Member.MAX_DOCUMENT_LENGTH + " characters).");
        }
        return null;
    }
}
