package org.trustledger.ledger.member;

import java.time.Clock;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.VerifyEmailCommand;

/** Resolves an email token to its member and address, checks its MAC, and lets the member decide. */
public class EmailVerificationHandler {

    private final Repository<Member> members;
    private final EmailRegistry registry;
    private final EmailTokens tokens;
    private final Clock clock;

    public EmailVerificationHandler(Repository<Member> members, EmailRegistry registry, EmailTokens tokens,
                                    Clock clock) {
        this.members = members;
        this.registry = registry;
        this.tokens = tokens;
        this.clock = clock;
    }

    @CommandHandler
    public String handle(VerifyEmailCommand cmd) {
        LedgerRefusal invalid = new LedgerRefusal(RefusalCode.TOKEN_INVALID, "This email token is not valid.");
        String nonce = tokens.nonceOf(cmd.token()).orElseThrow(() -> invalid);
        String[] owner = registry.nonceOwner(nonce).orElseThrow(() -> invalid);
        if (!tokens.matches(cmd.token(), owner[0], owner[1], nonce)) {
            throw invalid;
        }
        Aggregate<Member> member = Members.load(members, owner[0], () -> invalid);
        member.execute(m -> m.verifyEmail(owner[1], nonce, registry, clock.instant()));
        return owner[0];
    }
}
