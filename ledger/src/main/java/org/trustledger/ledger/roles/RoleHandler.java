package org.trustledger.ledger.roles;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.api.AppointRoleCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RecordParentalConsentCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.SetCodeSigningCommand;
import org.trustledger.ledger.api.WithdrawRoleCommand;
import org.trustledger.ledger.member.Member;
import org.trustledger.ledger.member.Members;
import org.trustledger.ledger.rules.PointsRules;
import org.trustledger.ledger.rules.Standing;

/**
 * Roles (DOMAIN.md section 5): Support appoints and withdraws TTP admins (Senior Assurers),
 * Organisation Assurers (Total 150 at appointment), Arbitrators and Support (Assurers). Parental
 * consent for an under-18 member is recorded by Support or an Assurer.
 */
public class RoleHandler {

    private final Repository<Member> members;
    private final Clock clock;

    public RoleHandler(Repository<Member> members, Clock clock) {
        this.members = members;
        this.clock = clock;
    }

    @CommandHandler
    public void handle(AppointRoleCommand cmd) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        requireSupport(cmd.appointedBy());
        Aggregate<Member> member = load(cmd.memberId(), RefusalCode.MEMBER_NOT_FOUND);
        Standing standing = member.invoke(m -> m.standingOn(today));
        String unmet = switch (cmd.role()) {
            case TTP_ADMIN -> standing.experiencePoints() >= PointsRules.MAX_EXPERIENCE_POINTS && standing.assurer()
                    ? null : "a TTP admin must be a Senior Assurer";
            case ORGANISATION_ASSURER -> standing.total() >= PointsRules.MAX_ASSURANCE_POINTS + PointsRules.MAX_EXPERIENCE_POINTS
                    ? null : "an Organisation Assurer needs 150 points in total at appointment";
            case ARBITRATOR, SUPPORT -> standing.assurer() ? null : "an " + cmd.role() + " must be an Assurer";
        };
        if (unmet != null) {
            throw new LedgerRefusal(RefusalCode.ROLE_REQUIREMENT_NOT_MET, "Cannot appoint: " + unmet + ".");
        }
        member.execute(m -> m.appointRole(cmd.role(), cmd.appointedBy(), reason(cmd.reason()), now));
    }

    @CommandHandler
    public void handle(WithdrawRoleCommand cmd) {
        requireSupport(cmd.withdrawnBy());
        load(cmd.memberId(), RefusalCode.MEMBER_NOT_FOUND)
                .execute(m -> m.withdrawRole(cmd.role(), cmd.withdrawnBy(), reason(cmd.reason()), clock.instant()));
    }

    @CommandHandler
    public void handle(SetCodeSigningCommand cmd) {
        Aggregate<Member> actor = load(cmd.setBy(), RefusalCode.NOT_AUTHORISED);
        if (!actor.invoke(m -> m.hasRole(Role.SUPPORT))) {
            throw new LedgerRefusal(RefusalCode.NOT_AUTHORISED, "Only Support may enable or disable code signing.");
        }
        load(cmd.memberId(), RefusalCode.MEMBER_NOT_FOUND)
                .execute(m -> m.setCodeSigning(cmd.enabled(), cmd.setBy(), reason(cmd.reason()), clock.instant()));
    }

    @CommandHandler
    public void handle(RecordParentalConsentCommand cmd) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        Aggregate<Member> recorder = load(cmd.recordedBy(), RefusalCode.NOT_AUTHORISED);
        boolean allowed = recorder.invoke(m -> m.hasRole(Role.SUPPORT) || m.isAssurerOn(today));
        if (!allowed) {
            throw new LedgerRefusal(RefusalCode.NOT_AUTHORISED, "Only Support or an Assurer may record a parental consent.");
        }
        if (cmd.guardianName() == null || cmd.guardianName().isBlank() || cmd.guardianName().length() > 200) {
            throw new LedgerRefusal(RefusalCode.NAME_REQUIRED, "Name the parent or guardian who consented (at most 200 characters).");
        }
        load(cmd.memberId(), RefusalCode.MEMBER_NOT_FOUND)
                .execute(m -> m.recordParentalConsent(cmd.guardianName().strip(), cmd.recordedBy(), now));
    }

    private void requireSupport(String memberId) {
        Aggregate<Member> actor = load(memberId, RefusalCode.NOT_AUTHORISED);
        if (!actor.invoke(m -> m.hasRole(Role.SUPPORT))) {
            throw new LedgerRefusal(RefusalCode.NOT_AUTHORISED, "Only Support may appoint or withdraw roles.");
        }
    }

    private Aggregate<Member> load(String id, RefusalCode notFound) {
        return Members.load(members, id, () -> new LedgerRefusal(notFound, notFound == RefusalCode.NOT_AUTHORISED
                ? "The acting member does not exist." : "No member with this id exists."));
    }

    static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new LedgerRefusal(RefusalCode.REASON_REQUIRED, "Give a reason; it is kept with the event.");
        }
        if (reason.length() > 1000) {
            throw new LedgerRefusal(RefusalCode.REASON_REQUIRED, "A reason may have at most 1000 characters.");
        }
        return reason.strip();
    }
}
