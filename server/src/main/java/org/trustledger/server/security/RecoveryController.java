package org.trustledger.server.security;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.ledger.api.CompleteRecoveryCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RecoveryOutcome;
import org.trustledger.ledger.api.StartRecoveryCommand;
import org.trustledger.server.graphql.Types;

/**
 * Passphrase recovery over GraphQL (DOMAIN.md section 1), throttled like every credential check:
 * per address and per account, counted on failures.
 */
@Controller
public class RecoveryController {

    private final CommandGateway commands;
    private final LoginThrottle throttle;

    public RecoveryController(CommandGateway commands, LoginThrottle throttle) {
        this.commands = commands;
        this.throttle = throttle;
    }

    record StartRecoveryPayload(String recoveryId, List<String> questions, Types.Refusal error) {
    }

    record CompleteRecoveryPayload(boolean reset, Types.Refusal error) {
    }

    @MutationMapping
    public StartRecoveryPayload startPassphraseRecovery(@Argument String email, @Argument LocalDate dateOfBirth) {
        String address = LoginThrottle.clientAddress();
        if (throttle.blockedUntil(email, address).isPresent()) {
            return new StartRecoveryPayload(null, null, tooMany());
        }
        String id = UUID.randomUUID().toString();
        RecoveryOutcome outcome = commands.sendAndWait(new StartRecoveryCommand(id, email, dateOfBirth));
        if (!outcome.ok()) {
            throttle.failed(email, address);
            return new StartRecoveryPayload(null, null,
                    new Types.Refusal(outcome.refusalCode().name(), outcome.message()));
        }
        return new StartRecoveryPayload(id, outcome.questions(), null);
    }

    @MutationMapping
    public CompleteRecoveryPayload completePassphraseRecovery(@Argument String recoveryId, @Argument List<String> answers,
                                                              @Argument String newPassphrase) {
        String address = LoginThrottle.clientAddress();
        if (throttle.blockedUntil("recovery:" + recoveryId, address).isPresent()) {
            return new CompleteRecoveryPayload(false, tooMany());
        }
        RecoveryOutcome outcome;
        try {
            outcome = commands.sendAndWait(new CompleteRecoveryCommand(recoveryId, answers, newPassphrase));
        } catch (LedgerRefusal r) {
            return new CompleteRecoveryPayload(false, new Types.Refusal(r.code().name(), r.getMessage()));
        }
        if (!outcome.ok()) {
            throttle.failed("recovery:" + recoveryId, address);
            return new CompleteRecoveryPayload(false,
                    new Types.Refusal(outcome.refusalCode().name(), outcome.message()));
        }
        return new CompleteRecoveryPayload(true, null);
    }

    private static Types.Refusal tooMany() {
        return new Types.Refusal("TOO_MANY_ATTEMPTS", "Too many failed attempts from here or for this account; try again later.");
    }

}
