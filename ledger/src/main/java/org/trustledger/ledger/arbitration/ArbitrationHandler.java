package org.trustledger.ledger.arbitration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.api.AssignArbitratorCommand;
import org.trustledger.ledger.api.AssuranceVoided;
import org.trustledger.ledger.api.CaseFiled;
import org.trustledger.ledger.api.FileCaseCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.Ruling;
import org.trustledger.ledger.api.RulingCommand;
import org.trustledger.ledger.api.RulingMade;
import org.trustledger.ledger.member.AssuranceRegistry;
import org.trustledger.ledger.member.DomainRegistry;
import org.trustledger.ledger.member.EmailRegistry;
import org.trustledger.ledger.member.Member;
import org.trustledger.ledger.member.Members;

/**
 * Files cases, assigns arbitrators and carries out rulings. A ruling holds the case (only its assigned
 * arbitrator, only while open) and the members it touches; the ruling event and its effects are
 * appended as one batch, so the record never shows one without the other.
 */
public class ArbitrationHandler {

    /** DOMAIN.md section 6: deletion waits 90 days after a certificate expired or was revoked. */
    static final Duration CERTIFICATE_GRACE = Duration.ofDays(90);
    static final int MAX_POINTS_ADJUSTMENT = 150;

    private final Repository<ArbitrationCase> cases;
    private final Repository<Member> members;
    private final CaseNumbers numbers;
    private final AssuranceRegistry assurances;
    private final EmailRegistry emails;
    private final DomainRegistry domains;
    private final CertificateCheck certificates;
    private final Clock clock;

    public ArbitrationHandler(Repository<ArbitrationCase> cases, Repository<Member> members, CaseNumbers numbers,
                              AssuranceRegistry assurances, EmailRegistry emails, DomainRegistry domains,
                              CertificateCheck certificates, Clock clock) {
        this.domains = domains;
        this.cases = cases;
        this.members = members;
        this.numbers = numbers;
        this.assurances = assurances;
        this.emails = emails;
        this.certificates = certificates;
        this.clock = clock;
    }

    @CommandHandler
    public String handle(FileCaseCommand cmd) throws Exception {
        Instant now = clock.instant();
        member(cmd.claimantId());
        if (cmd.respondentId() != null && !cmd.respondentId().isBlank()) {
            member(cmd.respondentId());
        }
        String relief = text(cmd.relief(), "The requested relief");
        String caseId = numbers.next(LocalDate.ofInstant(now, clock.getZone()));
        cases.newInstance(() -> new ArbitrationCase(new CaseFiled(caseId, cmd.claimantId(),
                blankToNull(cmd.respondentId()), relief, cmd.filedBy() == null ? cmd.claimantId() : cmd.filedBy(), now)));
        return caseId;
    }

    @CommandHandler
    public void handle(AssignArbitratorCommand cmd) {
        Aggregate<ArbitrationCase> c = caseOf(cmd.caseId());
        if (!member(cmd.assignedBy()).invoke(m -> m.hasRole(Role.SUPPORT))) {
            throw new LedgerRefusal(RefusalCode.NOT_AUTHORISED, "Only Support may assign an arbitrator.");
        }
        if (!member(cmd.arbitratorId()).invoke(m -> m.hasRole(Role.ARBITRATOR))) {
            throw new LedgerRefusal(RefusalCode.NOT_AUTHORISED, "The member assigned must hold the Arbitrator role.");
        }
        c.execute(k -> k.assign(cmd.arbitratorId(), cmd.assignedBy(), clock.instant()));
    }

    @CommandHandler
    public void handle(RulingCommand cmd) {
        Instant now = clock.instant();
        Aggregate<ArbitrationCase> c = caseOf(cmd.caseId());
        c.execute(k -> k.requireRulingBy(cmd.arbitratorId()));
        Ruling ruling = cmd.ruling();
        String reason = text(ruling == null ? null : ruling.reason(), "The reason of a ruling");
        String caseId = cmd.caseId();
        RulingMade made = carryOut(caseId, cmd, ruling, reason, now);
        c.execute(k -> k.record(made));
    }

    /** Applies the ruling's effect to the members it touches; returns the ruling's record for the case. */
    private RulingMade carryOut(String caseId, RulingCommand cmd, Ruling ruling, String reason, Instant now) {
        if (ruling instanceof Ruling.VoidAssurance v) {
            return voidAssurance(caseId, cmd.arbitratorId(), v, reason, now);
        }
        if (ruling instanceof Ruling.AdjustPoints a) {
            if (a.assurancePointsDelta() == 0 && a.experiencePointsDelta() == 0
                    || Math.abs(a.assurancePointsDelta()) > MAX_POINTS_ADJUSTMENT
                    || Math.abs(a.experiencePointsDelta()) > MAX_POINTS_ADJUSTMENT) {
                throw new LedgerRefusal(RefusalCode.POINTS_ADJUSTMENT_INVALID,
                        "An adjustment changes AP or EP by a non-zero amount of at most " + MAX_POINTS_ADJUSTMENT + ".");
            }
            member(a.memberId()).execute(m -> m.adjustPoints(caseId, a.assurancePointsDelta(),
                    a.experiencePointsDelta(), reason, now));
            return made(caseId, cmd, "ADJUST_POINTS", a.memberId(),
                    "AP " + signed(a.assurancePointsDelta()) + ", EP " + signed(a.experiencePointsDelta()), reason, now);
        }
        if (ruling instanceof Ruling.BlockAssurer b) {
            member(b.memberId()).execute(m -> m.changeBlock(caseId, b.blocked(), reason, now));
            return made(caseId, cmd, b.blocked() ? "BLOCK_ASSURER" : "UNBLOCK_ASSURER", b.memberId(), "", reason, now);
        }
        if (ruling instanceof Ruling.LockAccount l) {
            member(l.memberId()).execute(m -> m.lock(caseId, reason, now));
            return made(caseId, cmd, "LOCK_ACCOUNT", l.memberId(), "", reason, now);
        }
        if (ruling instanceof Ruling.ChangeName n) {
            member(n.memberId()).execute(m -> m.changeName(caseId, n.name(), reason, now));
            return made(caseId, cmd, "CHANGE_NAME", n.memberId(), "", reason, now);
        }
        if (ruling instanceof Ruling.ChangeDateOfBirth d) {
            member(d.memberId()).execute(m -> m.changeDateOfBirth(caseId, d.dateOfBirth(), reason, clock));
            return made(caseId, cmd, "CHANGE_DATE_OF_BIRTH", d.memberId(), "", reason, now);
        }
        if (ruling instanceof Ruling.DeleteAccount d) {
            requireNoRecentCertificates(d.memberId(), now);
            Aggregate<Member> m = member(d.memberId());
            if (m.invoke(Member::isDeleted)) {
                throw new LedgerRefusal(RefusalCode.ACCOUNT_DELETED, "This account is already deleted.");
            }
            m.execute(x -> x.delete(caseId, emails, domains, now));
            return made(caseId, cmd, "DELETE_ACCOUNT", d.memberId(), "", reason, now);
        }
        Ruling.RevokeCertificates r = (Ruling.RevokeCertificates) ruling;
        List<String> serials = r.serials() == null ? List.of() : r.serials();
        member(r.memberId()).execute(m -> m.orderRevocation(caseId, serials, reason, now));
        return made(caseId, cmd, "REVOKE_CERTIFICATES", r.memberId(),
                serials.isEmpty() ? "all that lost their backing" : String.join(",", serials), reason, now);
    }

    private RulingMade voidAssurance(String caseId, String arbitratorId, Ruling.VoidAssurance v, String reason,
                                     Instant now) {
        AssuranceRegistry.Parties parties = assurances.find(v.assuranceId()).orElseThrow(() ->
                new LedgerRefusal(RefusalCode.ASSURANCE_NOT_FOUND, "No assurance with this id exists."));
        Aggregate<Member> assuree = member(parties.assureeId());
        if (!assuree.invoke(m -> m.hasAssurance(v.assuranceId()))) {
            throw new LedgerRefusal(RefusalCode.ASSURANCE_NOT_FOUND, "No assurance with this id exists.");
        }
        if (!assuree.invoke(m -> m.hasActiveAssurance(v.assuranceId()))) {
            throw new LedgerRefusal(RefusalCode.ASSURANCE_ALREADY_VOIDED, "This assurance is already voided.");
        }
        AssuranceVoided voided = new AssuranceVoided(caseId, v.assuranceId(), parties.assureeId(), parties.assurerId(),
                parties.kind(), reason, now);
        assuree.execute(m -> m.voidAssurance(voided));
        try {
            member(parties.assurerId()).execute(m -> m.voidAssurance(voided));
        } catch (LedgerRefusal e) {
            // A TTP assurance's recorder may not be a member stream that holds it; the assuree's side counts.
        }
        return new RulingMade(caseId, arbitratorId, "VOID_ASSURANCE", parties.assureeId(),
                "assurance " + v.assuranceId() + " by " + parties.assurerId(), reason, now);
    }

    private void requireNoRecentCertificates(String memberId, Instant now) {
        Instant horizon = now.minus(CERTIFICATE_GRACE);
        for (CertificateCheck.CertificateStatus c : certificates.certificatesOf(memberId)) {
            boolean blocking = c.revokedAt() == null ? c.notAfter().isAfter(horizon) : c.revokedAt().isAfter(horizon);
            if (blocking) {
                throw new LedgerRefusal(RefusalCode.CERTIFICATES_STILL_VALID, "Certificate " + c.serial()
                        + " is valid, or expired or was revoked less than 90 days ago: the account cannot be deleted yet.");
            }
        }
    }

    private static RulingMade made(String caseId, RulingCommand cmd, String remedy, String subject, String detail,
                                   String reason, Instant now) {
        return new RulingMade(caseId, cmd.arbitratorId(), remedy, subject, detail, reason, now);
    }

    private Aggregate<ArbitrationCase> caseOf(String caseId) {
        try {
            return cases.load(caseId);
        } catch (AggregateNotFoundException e) {
            throw new LedgerRefusal(RefusalCode.CASE_NOT_FOUND, "No case with the id " + caseId + " exists.");
        }
    }

    private Aggregate<Member> member(String id) {
        return Members.load(members, id,
                () -> new LedgerRefusal(RefusalCode.MEMBER_NOT_FOUND, "No member with the id " + id + " exists."));
    }

    private static String text(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new LedgerRefusal(RefusalCode.REASON_REQUIRED, what + " is required.");
        }
        if (value.length() > 2000) {
            throw new LedgerRefusal(RefusalCode.REASON_REQUIRED, what + " may have at most 2000 characters.");
        }
        return value.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String signed(int n) {
        return n >= 0 ? "+" + n : Integer.toString(n);
    }
}
