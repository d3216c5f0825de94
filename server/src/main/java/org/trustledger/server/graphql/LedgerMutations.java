package org.trustledger.server.graphql;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.ledger.api.AddEmailCommand;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.CorrectOwnDetailsCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecordAssuranceCommand;
import org.trustledger.ledger.api.RecordAssurerChallengeCommand;
import org.trustledger.ledger.api.RecordTopUpCommand;
import org.trustledger.ledger.api.RecordTtpAssuranceCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.RegisterMemberCommand;
import org.trustledger.ledger.api.SecurityQuestionAnswer;
import org.trustledger.ledger.api.VerifyEmailCommand;
import org.trustledger.query.MemberReadModel;
import org.trustledger.server.security.LoginThrottle;

/**
 * Mutations: each sends one command; a business refusal comes back as the payload's {@code error},
 * and on success the payload shows the read model after it has caught up with this very write.
 */
@Controller
public class LedgerMutations {

    private final CommandGateway commands;
    private final LoginThrottle throttle;
    /** Members named who could not be found, and addresses found taken, per actor and per address. */
    private final LoginThrottle identifications;
    private static final String IDENTIFY = "identify:";
    private final MemberReadModel readModel;
    private final ReadModelSync sync;

    public LedgerMutations(CommandGateway commands, MemberReadModel readModel, ReadModelSync sync,
                           LoginThrottle throttle, @Qualifier("identificationThrottle") LoginThrottle identifications) {
        this.commands = commands;
        this.throttle = throttle;
        this.identifications = identifications;
        this.readModel = readModel;
        this.sync = sync;
    }

    /**
     * "This address is taken" is what a registrant must be told (one account per address), so it is
     * rate-limited per client address like a failed login: nobody can probe addresses at scale.
     */
    @MutationMapping
    public Types.MemberPayload registerMember(@Argument Types.RegisterMemberInput input) {
        try (LoginThrottle.Attempt attempt = throttle.begin(null, LoginThrottle.clientAddress())) {
            if (attempt.refused()) {
                return new Types.MemberPayload(null, new Types.Refusal("TOO_MANY_ATTEMPTS",
                        "Too many attempts from here; try again after " + attempt.until() + "."));
            }
            Types.MemberPayload payload = register(input);
            if (payload.error() != null && payload.error().code().equals(RefusalCode.EMAIL_ALREADY_REGISTERED.name())) {
                attempt.failed();
            }
            return payload;
        }
    }

    private Types.MemberPayload register(Types.RegisterMemberInput input) {
        String memberId = UUID.randomUUID().toString();
        List<SecurityQuestionAnswer> questions = input.securityQuestions() == null ? List.of()
                : input.securityQuestions().stream().map(q -> new SecurityQuestionAnswer(q.question(), q.answer()))
                        .toList();
        RegisterMemberCommand cmd = new RegisterMemberCommand(memberId,
                new PersonName(input.givenNames(), input.middleName(), input.familyName(), input.suffix()),
                input.dateOfBirth(), input.email(), input.passphrase(), questions);
        return memberPayload(() -> commands.sendAndWait(cmd), memberId);
    }

    @MutationMapping
    public Types.MemberPayload verifyEmail(@Argument String token) {
        try {
            String memberId = commands.sendAndWait(new VerifyEmailCommand(token));
            return shown(memberId);
        } catch (RuntimeException e) {
            return new Types.MemberPayload(null, refusal(e));
        }
    }

    /** "Taken" for an address is news to someone who wants to know who has an account: counted like a failure. */
    @MutationMapping
    public Types.MemberPayload addEmail(@Argument Types.AddEmailInput input) {
        try (LoginThrottle.Attempt attempt = identification(input.memberId())) {
            if (attempt.refused()) {
                return new Types.MemberPayload(null, tooManyIdentifications(attempt));
            }
            Types.MemberPayload payload = memberPayload(() -> commands.sendAndWait(new AddEmailCommand(input.memberId(),
                    input.email())), input.memberId());
            if (payload.error() != null && payload.error().code().equals(RefusalCode.EMAIL_ALREADY_REGISTERED.name())) {
                attempt.failed();
            }
            return payload;
        }
    }

    /**
     * An Assurer names the assuree by email and date of birth, and a wrong pair is refused as
     * ASSUREE_NOT_FOUND: without a limit, an Assurer could try every date of birth for an address. Such
     * refusals are counted per Assurer and per client address (as failed logins are); past the limit the
     * assurance mutations answer TOO_MANY_ATTEMPTS until the window has passed.
     */
    private LoginThrottle.Attempt identification(String actor) {
        return identifications.begin(IDENTIFY + actor, IDENTIFY + LoginThrottle.clientAddress());
    }

    private static Types.Refusal tooManyIdentifications(LoginThrottle.Attempt attempt) {
        return new Types.Refusal("TOO_MANY_ATTEMPTS", "Too many members named who could not be found, or addresses"
                + " already taken; try again after " + attempt.until() + ".");
    }

    /** Records an assurance that names its assuree, counting a name that matched nobody as a probe. */
    private Types.RecordAssurancePayload identifying(String actor, Supplier<AssuranceOutcome> record,
                                                     Function<AssuranceOutcome, Types.RecordAssurancePayload> payload) {
        try (LoginThrottle.Attempt attempt = identification(actor)) {
            if (attempt.refused()) {
                return new Types.RecordAssurancePayload(null, tooManyIdentifications(attempt));
            }
            AssuranceOutcome outcome = record.get();
            if (!outcome.isRecorded() && outcome.refusalCode() == RefusalCode.ASSUREE_NOT_FOUND) {
                attempt.failed();
            }
            return payload.apply(outcome);
        }
    }

    @MutationMapping
    public Types.MemberPayload correctMemberDetails(@Argument Types.CorrectMemberDetailsInput input) {
        return memberPayload(() -> commands.sendAndWait(new CorrectOwnDetailsCommand(input.memberId(),
                new PersonName(input.givenNames(), input.middleName(), input.familyName(), input.suffix()),
                input.dateOfBirth())), input.memberId());
    }

    @MutationMapping
    public Types.MemberPayload recordAssurerChallenge(@Argument Types.RecordAssurerChallengeInput input) {
        return memberPayload(() -> commands.sendAndWait(new RecordAssurerChallengeCommand(input.memberId(),
                input.scorePercent(), input.passedOn(), "graphql")), input.memberId());
    }

    @MutationMapping
    public Types.RecordAssurancePayload recordAssurance(@Argument Types.RecordAssuranceInput input) {
        RecordAssuranceCommand cmd = new RecordAssuranceCommand(UUID.randomUUID().toString(), input.assurerId(),
                input.assureeEmail(), input.assureeDateOfBirth(), input.date(), input.location(), input.points(),
                input.documents(), Boolean.TRUE.equals(input.assureeAgreedToCommunityAgreement()),
                Boolean.TRUE.equals(input.assurerSawOriginalDocuments()));
        return identifying(input.assurerId(), () -> commands.sendAndWait(cmd), outcome -> {
            if (!outcome.isRecorded()) {
                return new Types.RecordAssurancePayload(null,
                        new Types.Refusal(outcome.refusalCode().name(), outcome.refusalMessage()));
            }
            // Both parties' documents show the assurance (its own document is written with the assuree's).
            sync.awaitMember(outcome.assureeId());
            sync.awaitMember(input.assurerId());
            return new Types.RecordAssurancePayload(readModel.assurance(outcome.assuranceId()).orElseThrow(), null);
        });
    }

    @MutationMapping
    public Types.RecordAssurancePayload recordTtpAssurance(@Argument Types.RecordTtpAssuranceInput input) {
        return identifying(input.adminId(), () -> commands.sendAndWait(new RecordTtpAssuranceCommand(
                UUID.randomUUID().toString(), input.adminId(), input.assureeEmail(), input.assureeDateOfBirth(),
                input.ttpName(), input.ttpKind(), input.country(), input.date(), input.documents(), input.points())),
                this::assurancePayload);
    }

    @MutationMapping
    public Types.RecordAssurancePayload recordTopUp(@Argument Types.RecordTopUpInput input) {
        return identifying(input.seniorAssurerId(), () -> commands.sendAndWait(new RecordTopUpCommand(
                UUID.randomUUID().toString(), input.seniorAssurerId(), input.assureeEmail(), input.assureeDateOfBirth(),
                input.date(), input.points())), this::assurancePayload);
    }

    private Types.RecordAssurancePayload assurancePayload(AssuranceOutcome outcome) {
        if (!outcome.isRecorded()) {
            return new Types.RecordAssurancePayload(null,
                    new Types.Refusal(outcome.refusalCode().name(), outcome.refusalMessage()));
        }
        sync.awaitMember(outcome.assureeId());
        return new Types.RecordAssurancePayload(readModel.assurance(outcome.assuranceId()).orElseThrow(), null);
    }

    private Types.MemberPayload memberPayload(Runnable send, String memberId) {
        try {
            send.run();
        } catch (RuntimeException e) {
            return new Types.MemberPayload(null, refusal(e));
        }
        return shown(memberId);
    }

    private Types.MemberPayload shown(String memberId) {
        sync.awaitMember(memberId);
        return new Types.MemberPayload(readModel.member(memberId).orElseThrow(), null);
    }

    /** The refusal inside {@code e}, or {@code e} itself when it is not a business refusal. */
    static Types.Refusal refusal(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LedgerRefusal r) {
                return new Types.Refusal(r.code().name(), r.getMessage());
            }
            if (t instanceof AggregateNotFoundException) {
                return new Types.Refusal(RefusalCode.MEMBER_NOT_FOUND.name(), "No member with this id exists.");
            }
        }
        throw e;
    }
}
