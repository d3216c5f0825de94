package org.trustledger.server.expiry;

import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.trustledger.ledger.api.ExpireUnverifiedEmailCommand;
import org.trustledger.query.MemberReadModel;

/**
 * Expires accounts and email addresses left unverified for 48 hours (DOMAIN.md section 1). The read
 * model names the candidates; the Member aggregate decides (it ignores anything verified meanwhile),
 * records the expiry and frees the address for someone else.
 */
@Component
public class ExpirySweeper {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);
    private final MemberReadModel readModel;
    private final CommandGateway commands;
    private final Clock clock;

    public ExpirySweeper(MemberReadModel readModel, CommandGateway commands, Clock clock) {
        this.readModel = readModel;
        this.commands = commands;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${trustledger.expiry-sweep:PT10M}", fixedDelayString = "${trustledger.expiry-sweep:PT10M}")
    public int sweep() {
        int expired = 0;
        for (MemberReadModel.PendingVerification p : readModel.overdueVerifications(clock.instant())) {
            try {
                if (Boolean.TRUE.equals(commands.sendAndWait(new ExpireUnverifiedEmailCommand(p.memberId(), p.email())))) {
                    expired++;
                }
            } catch (RuntimeException e) {
                log.warn("Could not expire {} of member {}: {}", p.email(), p.memberId(), e.getMessage());
            }
        }
        if (expired > 0) {
            log.info("Expired {} email address(es) left unverified for 48 hours", expired);
        }
        return expired;
    }
}
