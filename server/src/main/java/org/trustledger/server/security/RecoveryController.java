package org.trustledger.server.security;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.ledger.api.CompleteRecoveryCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RecoveryOutcome;
import org.trustledger.ledger.api.StartRecoveryCommand;
import org.trustledger.server.graphql.ApiException;
import org.trustledger.server.graphql.ErrorCode;
import org.trustledger.server.graphql.Types;

/**
 * Passphrase recovery over GraphQL (DOMAIN.md section 1), throttled like every credential check:
 * per address and per account, counted on failures. Every attempt goes to the {@link RecoveryLog}.
 */
@Controller
public class RecoveryController {

    private final CommandGateway commands;
    private static final String TOO_MANY = "TOO_MANY_ATTEMPTS";
    private final LoginThrottle throttle;
    private final RecoveryLog log;

    public RecoveryController(CommandGateway commands, LoginThrottle throttle, RecoveryLog log) {
        this.commands = commands;
        this.throttle = throttle;
        this.log = log;
    }

    record StartRecoveryPayload(String recoveryId, List<String> questions, Types.Refusal error) {
    }

    record CompleteRecoveryPayload(boolean reset, Types.Refusal error) {
    }

    @MutationMapping
    public StartRecoveryPayload startPassphraseRecovery(@Argument String email, @Argument LocalDate dateOfBirth) {
        String address = LoginThrottle.clientAddress();
        try (LoginThrottle.Attempt attempt = throttle.begin(email, address)) {
            if (attempt.refused()) {
                log.started(email, null, address, TOO_MANY);
                return new StartRecoveryPayload(null, null, tooMany(attempt));
            }
            String id = UUID.randomUUID().toString();
            RecoveryOutcome outcome = commands.sendAndWait(new StartRecoveryCommand(id, email, dateOfBirth));
            if (!outcome.ok()) {
                attempt.failed();
                log.started(email, null, address, outcome.refusalCode().name());
                return new StartRecoveryPayload(null, null,
                        new Types.Refusal(outcome.refusalCode().name(), outcome.message()));
            }
            log.started(email, id, address, "OK");
            return new StartRecoveryPayload(id, outcome.questions(), null);
        }
    }

    @MutationMapping
    public CompleteRecoveryPayload completePassphraseRecovery(@Argument String recoveryId, @Argument List<String> answers,
                                                              @Argument String newPassphrase) {
        String address = LoginThrottle.clientAddress();
        try (LoginThrottle.Attempt attempt = throttle.begin("recovery:" + recoveryId, address)) {
            if (attempt.refused()) {
                log.completed(recoveryId, address, TOO_MANY);
                return new CompleteRecoveryPayload(false, tooMany(attempt));
            }
            RecoveryOutcome outcome;
            try {
                outcome = commands.sendAndWait(new CompleteRecoveryCommand(recoveryId, answers, newPassphrase));
            } catch (LedgerRefusal r) {
                log.completed(recoveryId, address, r.code().name());
                return new CompleteRecoveryPayload(false, new Types.Refusal(r.code().name(), r.getMessage()));
            }
            if (!outcome.ok()) {
                attempt.failed();
                log.completed(recoveryId, address, outcome.refusalCode().name());
                return new CompleteRecoveryPayload(false,
                        new Types.Refusal(outcome.refusalCode().name(), outcome.message()));
            }
            attempt.succeeded();
            log.completed(recoveryId, address, "OK");
            return new CompleteRecoveryPayload(true, null);
        }
    }

    /** Support reads every attempt about an address, newest first. */
    @QueryMapping
    public List<RecoveryLog.Attempt> recoveryAttempts(@Argument String email, @Argument Integer first) {
        int n = first == null ? 50 : first;
        if (n < 0 || n > RecoveryLog.MAX_READ) {
            throw new ApiException(ErrorCode.BAD_USER_INPUT, "'first' must be between 0 and " + RecoveryLog.MAX_READ + ".");
        }
        return log.about(email, n);
    }

    private static Types.Refusal tooMany(LoginThrottle.Attempt attempt) {
        return new Types.Refusal(TOO_MANY, "Too many failed attempts from here or for this account; try again after "
                + attempt.until() + ".");
    }

}
