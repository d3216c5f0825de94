package org.trustledger.ledger.member;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.api.AuthenticateCommand;
import org.trustledger.ledger.api.CallerStanding;
import org.trustledger.ledger.api.DescribeCallerCommand;
import org.trustledger.ledger.api.CompleteRecoveryCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RecoveryOutcome;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.StartRecoveryCommand;
import org.trustledger.ledger.rules.Emails;

/**
 * Passphrase checks and passphrase recovery (DOMAIN.md section 1). Every answer about an unknown
 * address is the same as about a wrong passphrase or date of birth: nothing reveals which addresses
 * have accounts.
 */
public class CredentialsHandler {

    static final String RECOVERY_SUBJECT = "recovery";
    private final Repository<Member> members;
    private final EmailRegistry registry;
    private final SecretHasher hasher;
    private final SecureRandom random;
    private final Clock clock;

    public CredentialsHandler(Repository<Member> members, EmailRegistry registry, SecretHasher hasher,
                              SecureRandom random, Clock clock) {
        this.members = members;
        this.registry = registry;
        this.hasher = hasher;
        this.random = random;
        this.clock = clock;
    }

    @CommandHandler
    public String handle(AuthenticateCommand cmd) {
        LedgerRefusal invalid = new LedgerRefusal(RefusalCode.CREDENTIALS_INVALID, "Email or passphrase is wrong.");
        Aggregate<Member> member = owner(cmd.email()).orElse(null);
        if (member == null || cmd.passphrase() == null) {
            hasher.equaliseTiming();
            throw invalid;
        }
        if (!member.invoke(m -> m.passphraseMatches(cmd.passphrase(), hasher))) {
            throw invalid;
        }
        return member.identifierAsString();
    }

    @CommandHandler
    public RecoveryOutcome handle(StartRecoveryCommand cmd) {
        RecoveryOutcome failed = RecoveryOutcome.failed(RefusalCode.RECOVERY_FAILED, Member.RECOVERY_REFUSED);
        Aggregate<Member> member = owner(cmd.email()).orElse(null);
        if (member == null || cmd.dateOfBirth() == null) {
            hasher.equaliseTiming();
            return failed;
        }
        RecoveryOutcome outcome = member.invoke(m -> m.startRecovery(cmd.recoveryId(), Emails.normalise(cmd.email()),
                cmd.dateOfBirth(), random, clock.instant()));
        if (outcome.ok()) {
            registry.rememberNonce(cmd.recoveryId(), member.identifierAsString(), RECOVERY_SUBJECT);
        }
        return outcome;
    }

    @CommandHandler
    public RecoveryOutcome handle(CompleteRecoveryCommand cmd) {
        RecoveryOutcome failed = RecoveryOutcome.failed(RefusalCode.RECOVERY_FAILED, "This recovery is not valid.");
        String[] owner = cmd.recoveryId() == null ? null : registry.nonceOwner(cmd.recoveryId()).orElse(null);
        if (owner == null || !RECOVERY_SUBJECT.equals(owner[1])) {
            return failed;
        }
        return Members.load(members, owner[0], () -> new LedgerRefusal(RefusalCode.RECOVERY_FAILED,
                "This recovery is not valid.")).invoke(m -> m.completeRecovery(cmd.recoveryId(), cmd.answers(),
                cmd.newPassphrase(), hasher, clock.instant()));
    }

    @CommandHandler
    public CallerStanding handle(DescribeCallerCommand cmd) {
        return Members.load(members, cmd.memberId(), () -> new LedgerRefusal(RefusalCode.MEMBER_NOT_FOUND,
                "No member with this id exists.")).invoke(m -> m.callerStanding(java.time.LocalDate.now(clock)));
    }

    /** The account whose primary or verified address this is. */
    private Optional<Aggregate<Member>> owner(String email) {
        if (email == null || email.length() > 254) {
            return Optional.empty();
        }
        return registry.find(Emails.normalise(email)).map(EmailRegistry.Claim::memberId).flatMap(id -> {
            try {
                return Optional.of(members.load(id));
            } catch (AggregateNotFoundException e) {
                return Optional.empty();
            }
        });
    }
}
