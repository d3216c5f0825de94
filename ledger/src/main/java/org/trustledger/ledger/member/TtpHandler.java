package org.trustledger.ledger.member;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RecordTopUpCommand;
import org.trustledger.ledger.api.RecordTtpAssuranceCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.rules.Emails;
import org.trustledger.ledger.rules.PointsRules;
import org.trustledger.ledger.rules.Standing;

/**
 * TTP-assisted assurance and top-up (DOMAIN.md section 3). The recording member earns no experience
 * points, so only the assuree's stream changes. A refusal is answered, not recorded: these are
 * administrative acts whose refusals change nothing.
 */
public class TtpHandler {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private final Repository<Member> members;
    private final EmailRegistry emails;
    private final AssuranceRegistry assurances;
    private final Clock clock;

    public TtpHandler(Repository<Member> members, EmailRegistry emails, AssuranceRegistry assurances, Clock clock) {
        this.members = members;
        this.emails = emails;
        this.assurances = assurances;
        this.clock = clock;
    }

    @CommandHandler
    public AssuranceOutcome handle(RecordTtpAssuranceCommand cmd) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        try {
            refuseIf(AssuranceHandler.checkPoints(cmd.points()));
            refuseIf(AssuranceHandler.checkDate(cmd.date(), today));
            String ttpName = required(cmd.ttpName(), "the TTP's name");
            String ttpKind = required(cmd.ttpKind(), "the TTP's kind (notary, bank officer, lawyer...)");
            String country = cmd.country() == null ? "" : cmd.country().strip().toUpperCase(Locale.ROOT);
            if (!COUNTRIES.contains(country)) {
                throw new LedgerRefusal(RefusalCode.COUNTRY_INVALID, "The country is an ISO 3166 two-letter code, like DE or NL.");
            }
            refuseIf(AssuranceHandler.checkDocuments(cmd.documents()));
            List<String> documents = cmd.documents().stream().map(String::strip).toList();
            Aggregate<Member> admin = load(cmd.adminId(), RefusalCode.NOT_AUTHORISED);
            boolean allowed = admin.invoke(m -> m.hasRole(Role.TTP_ADMIN) && isSenior(m.standingOn(today)));
            if (!allowed) {
                throw new LedgerRefusal(RefusalCode.NOT_AUTHORISED,
                        "Only a TTP admin who is a Senior Assurer may record TTP-assisted assurances.");
            }
            Aggregate<Member> assuree = assuree(cmd.assureeEmail(), cmd.assureeDateOfBirth(), cmd.adminId());
            LedgerRefusal refusal = assuree.invoke(m -> m.refusalForTtp(ttpName));
            if (refusal != null) {
                throw refusal;
            }
            String assureeId = assuree.invoke(Member::memberId);
            assurances.record(new AssuranceRegistry.Parties(cmd.assuranceId(), assureeId, cmd.adminId(),
                    AssuranceKind.TTP_ASSISTED));
            assuree.execute(m -> m.receiveTtp(cmd.assuranceId(), cmd.adminId(), AssuranceKind.TTP_ASSISTED, cmd.points(),
                    ttpName, ttpKind, country, cmd.date(), documents, now));
            return AssuranceOutcome.recorded(cmd.assuranceId(), assureeId);
        } catch (LedgerRefusal r) {
            return AssuranceOutcome.refused(r);
        }
    }

    @CommandHandler
    public AssuranceOutcome handle(RecordTopUpCommand cmd) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        try {
            refuseIf(AssuranceHandler.checkPoints(cmd.points()));
            refuseIf(AssuranceHandler.checkDate(cmd.date(), today));
            Aggregate<Member> senior = load(cmd.seniorAssurerId(), RefusalCode.SENIOR_ASSURER_REQUIRED);
            if (!senior.invoke(m -> isSenior(m.standingOn(today)) && !m.isDeleted())) {
                throw new LedgerRefusal(RefusalCode.SENIOR_ASSURER_REQUIRED, "A top-up is given by a Senior Assurer.");
            }
            Aggregate<Member> assuree = assuree(cmd.assureeEmail(), cmd.assureeDateOfBirth(), cmd.seniorAssurerId());
            LedgerRefusal refusal = assuree.invoke(m -> m.refusalForTopUp(cmd.seniorAssurerId()));
            if (refusal != null) {
                throw refusal;
            }
            String assureeId = assuree.invoke(Member::memberId);
            assurances.record(new AssuranceRegistry.Parties(cmd.assuranceId(), assureeId, cmd.seniorAssurerId(),
                    AssuranceKind.TTP_TOP_UP));
            assuree.execute(m -> m.receiveTtp(cmd.assuranceId(), cmd.seniorAssurerId(), AssuranceKind.TTP_TOP_UP,
                    cmd.points(), null, null, null, cmd.date(), null, now));
            return AssuranceOutcome.recorded(cmd.assuranceId(), assureeId);
        } catch (LedgerRefusal r) {
            return AssuranceOutcome.refused(r);
        }
    }

    private static boolean isSenior(Standing s) {
        return s.assurer() && s.experiencePoints() >= PointsRules.MAX_EXPERIENCE_POINTS;
    }

    /** The assuree by primary email and date of birth, verified, not locked, not the recorder. */
    private Aggregate<Member> assuree(String email, LocalDate dob, String recorderId) {
        String normal = Emails.normalise(email);
        Optional<String> id = emails.find(normal).map(EmailRegistry.Claim::memberId);
        if (id.isEmpty()) {
            throw Member.notFound();
        }
        if (id.get().equals(recorderId)) {
            throw new LedgerRefusal(RefusalCode.SELF_ASSURANCE, "Nobody may assure themselves.");
        }
        Aggregate<Member> assuree = load(id.get(), RefusalCode.ASSUREE_NOT_FOUND);
        LedgerRefusal refusal = assuree.invoke(m -> m.refusalAsAssuree(recorderId, normal, dob));
        if (refusal != null) {
            throw refusal;
        }
        return assuree;
    }

    private Aggregate<Member> load(String id, RefusalCode notFound) {
        return Members.load(members, id, () -> notFound == RefusalCode.ASSUREE_NOT_FOUND ? Member.notFound()
                : new LedgerRefusal(notFound, "No member with the id " + id + " exists."));
    }

    private static void refuseIf(LedgerRefusal refusal) {
        if (refusal != null) {
            throw refusal;
        }
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 200) {
            throw new LedgerRefusal(RefusalCode.TTP_DETAILS_MISSING, "Give " + what + " (at most 200 characters).");
        }
        return value.strip();
    }
}
