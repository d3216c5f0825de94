package org.trustledger.server.graphql;

import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.server.security.Caller;
import org.trustledger.ledger.api.AppointRoleCommand;
import org.trustledger.ledger.api.AssignArbitratorCommand;
import org.trustledger.ledger.api.CloseCaseCommand;
import org.trustledger.ledger.api.FileCaseCommand;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecordParentalConsentCommand;
import org.trustledger.ledger.api.Ruling;
import org.trustledger.ledger.api.RulingCommand;
import org.trustledger.ledger.api.SetCodeSigningCommand;
import org.trustledger.ledger.api.WithdrawRoleCommand;
import org.trustledger.query.CaseProjection;
import org.trustledger.query.CaseView;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.MemberView;

/** Roles, parental consent and arbitration over GraphQL. Each mutation sends one command. */
@Controller
public class ArbitrationController {

    private final CommandGateway commands;
    private final MemberReadModel members;
    private final CaseProjection cases;
    private final ReadModelSync sync;

    public ArbitrationController(CommandGateway commands, MemberReadModel members, CaseProjection cases,
                                 ReadModelSync sync) {
        this.commands = commands;
        this.members = members;
        this.cases = cases;
        this.sync = sync;
    }

    /**
     * A case is its parties', its arbitrator's and support's to read: it holds the relief asked for, the
     * rulings and their reasons. Anyone else gets the same answer as for a case that does not exist, so case
     * numbers cannot be probed.
     */
    @QueryMapping
    public CaseView arbitrationCase(@Argument String id, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return cases.find(id).filter(c -> caller.support() || caller.is(c.claimantId()) || caller.is(c.respondentId())
                || caller.is(c.arbitratorId()) || caller.is(c.filedBy())).orElse(null);
    }

    @MutationMapping
    public Types.MemberPayload appointRole(@Argument Types.AppointRoleInput input) {
        return memberChange(() -> commands.sendAndWait(new AppointRoleCommand(input.memberId(), input.role(),
                input.appointedBy(), input.reason())), input.memberId());
    }

    @MutationMapping
    public Types.MemberPayload withdrawRole(@Argument Types.WithdrawRoleInput input) {
        return memberChange(() -> commands.sendAndWait(new WithdrawRoleCommand(input.memberId(), input.role(),
                input.withdrawnBy(), input.reason())), input.memberId());
    }

    record SetCodeSigningInput(String memberId, Boolean enabled, String setBy, String reason) {
    }

    @MutationMapping
    public Types.MemberPayload setCodeSigning(@Argument SetCodeSigningInput input) {
        return memberChange(() -> commands.sendAndWait(new SetCodeSigningCommand(input.memberId(),
                Boolean.TRUE.equals(input.enabled()), input.setBy(), input.reason())), input.memberId());
    }

    @MutationMapping
    public Types.MemberPayload recordParentalConsent(@Argument Types.RecordParentalConsentInput input) {
        return memberChange(() -> commands.sendAndWait(new RecordParentalConsentCommand(input.memberId(),
                input.guardianName(), input.recordedBy())), input.memberId());
    }

    @MutationMapping
    public Types.CasePayload fileCase(@Argument Types.FileCaseInput input) {
        try {
            String caseId = commands.sendAndWait(new FileCaseCommand(input.claimantId(), input.respondentId(),
                    input.relief(), input.claimantId()));
            return shown(caseId);
        } catch (RuntimeException e) {
            return new Types.CasePayload(null, LedgerMutations.refusal(e));
        }
    }

    @MutationMapping
    public Types.CasePayload assignArbitrator(@Argument Types.AssignArbitratorInput input) {
        return caseChange(() -> commands.sendAndWait(new AssignArbitratorCommand(input.caseId(), input.arbitratorId(),
                input.assignedBy())), input.caseId(), List.of());
    }

    @MutationMapping
    public Types.CasePayload voidAssurance(@Argument Types.VoidAssuranceInput input) {
        List<String> parties = members.assurance(input.assuranceId())
                .map(a -> List.of(a.assureeId(), a.assurerId())).orElse(List.of());
        return rule(input.caseId(), input.arbitratorId(), new Ruling.VoidAssurance(input.assuranceId(), input.reason()),
                parties);
    }

    @MutationMapping
    public Types.CasePayload adjustPoints(@Argument Types.AdjustPointsInput input) {
        return rule(input.caseId(), input.arbitratorId(), new Ruling.AdjustPoints(input.memberId(),
                input.assurancePointsDelta(), input.experiencePointsDelta(), input.reason()), List.of(input.memberId()));
    }

    @MutationMapping
    public Types.CasePayload blockAssurer(@Argument Types.MemberRulingInput input) {
        return rule(input.caseId(), input.arbitratorId(), new Ruling.BlockAssurer(input.memberId(), true, input.reason()),
                List.of(input.memberId()));
    }

    @MutationMapping
    public Types.CasePayload unblockAssurer(@Argument Types.MemberRulingInput input) {
        return rule(input.caseId(), input.arbitratorId(), new Ruling.BlockAssurer(input.memberId(), false, input.reason()),
                List.of(input.memberId()));
    }

    @MutationMapping
    public Types.CasePayload lockAccount(@Argument Types.MemberRulingInput input) {
        return rule(input.caseId(), input.arbitratorId(), new Ruling.LockAccount(input.memberId(), input.reason()),
                List.of(input.memberId()));
    }

    @MutationMapping
    public Types.CasePayload changeMemberName(@Argument Types.ChangeMemberNameInput input) {
        return rule(input.caseId(), input.arbitratorId(), new Ruling.ChangeName(input.memberId(),
                new PersonName(input.givenNames(), input.middleName(), input.familyName(), input.suffix()), input.reason()),
                List.of(input.memberId()));
    }

    @MutationMapping
    public Types.CasePayload changeMemberDateOfBirth(@Argument Types.ChangeMemberDateOfBirthInput input) {
        return rule(input.caseId(), input.arbitratorId(), new Ruling.ChangeDateOfBirth(input.memberId(),
                input.dateOfBirth(), input.reason()), List.of(input.memberId()));
    }

    @MutationMapping
    public Types.CasePayload deleteAccount(@Argument Types.MemberRulingInput input) {
        return rule(input.caseId(), input.arbitratorId(), new Ruling.DeleteAccount(input.memberId(), input.reason()),
                List.of(input.memberId()));
    }

    @MutationMapping
    public Types.CasePayload revokeCertificates(@Argument Types.RevokeCertificatesInput input) {
        return rule(input.caseId(), input.arbitratorId(), new Ruling.RevokeCertificates(input.memberId(),
                input.serials(), input.reason()), List.of(input.memberId()));
    }

    @MutationMapping
    public Types.CasePayload closeCase(@Argument Types.CloseCaseInput input) {
        return caseChange(() -> commands.sendAndWait(new CloseCaseCommand(input.caseId(), input.arbitratorId(),
                input.resolution())), input.caseId(), List.of());
    }

    @SchemaMapping(typeName = "CasePayload", field = "case")
    public CaseView casePayloadCase(Types.CasePayload payload) {
        return payload.caseView();
    }

    @SchemaMapping(typeName = "ArbitrationCase")
    public MemberView claimant(CaseView c) {
        return members.member(c.claimantId()).orElse(null);
    }

    @SchemaMapping(typeName = "ArbitrationCase")
    public MemberView respondent(CaseView c) {
        return c.respondentId() == null ? null : members.member(c.respondentId()).orElse(null);
    }

    @SchemaMapping(typeName = "ArbitrationCase")
    public MemberView arbitrator(CaseView c) {
        return c.arbitratorId() == null ? null : members.member(c.arbitratorId()).orElse(null);
    }

    @SchemaMapping(typeName = "ArbitrationCase")
    public String status(CaseView c) {
        return c.closed() ? "CLOSED" : "OPEN";
    }

    @SchemaMapping(typeName = "CaseRuling")
    public MemberView subject(CaseView.RulingView r) {
        return r.subjectId() == null ? null : members.member(r.subjectId()).orElse(null);
    }

    @SchemaMapping(typeName = "CaseRuling")
    public MemberView arbitrator(CaseView.RulingView r) {
        return members.member(r.arbitratorId()).orElse(null);
    }

    private Types.CasePayload rule(String caseId, String arbitratorId, Ruling ruling, List<String> touched) {
        return caseChange(() -> commands.sendAndWait(new RulingCommand(caseId, arbitratorId, ruling)), caseId, touched);
    }

    private Types.CasePayload caseChange(Runnable send, String caseId, List<String> touchedMembers) {
        try {
            send.run();
        } catch (RuntimeException e) {
            return new Types.CasePayload(null, LedgerMutations.refusal(e));
        }
        touchedMembers.forEach(sync::awaitMember);
        return shown(caseId);
    }

    private Types.CasePayload shown(String caseId) {
        sync.await(caseId, id -> cases.find(id).map(CaseView::lastSequence).orElse(-1L));
        return new Types.CasePayload(cases.find(caseId).orElseThrow(), null);
    }

    private Types.MemberPayload memberChange(Runnable send, String memberId) {
        try {
            send.run();
        } catch (RuntimeException e) {
            return new Types.MemberPayload(null, LedgerMutations.refusal(e));
        }
        sync.awaitMember(memberId);
        return new Types.MemberPayload(members.member(memberId).orElseThrow(), null);
    }
}
