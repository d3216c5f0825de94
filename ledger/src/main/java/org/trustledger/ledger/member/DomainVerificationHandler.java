package org.trustledger.ledger.member;

import java.time.Clock;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.VerifyDomainCommand;

/** Resolves a domain token to its member and domain, checks its MAC, and lets the member decide. */
public class DomainVerificationHandler {

    /** Prefix under which domain token nonces share the email nonce register. */
    static final String NONCE_SUBJECT = "domain:";

    private final Repository<Member> members;
    private final EmailRegistry nonces;
    private final DomainRegistry domains;
    private final EmailTokens tokens;
    private final Clock clock;

    public DomainVerificationHandler(Repository<Member> members, EmailRegistry nonces, DomainRegistry domains,
                                     EmailTokens tokens, Clock clock) {
        this.members = members;
        this.nonces = nonces;
        this.domains = domains;
        this.tokens = tokens;
        this.clock = clock;
    }

    @CommandHandler
    public String handle(VerifyDomainCommand cmd) {
        LedgerRefusal invalid = new LedgerRefusal(RefusalCode.TOKEN_INVALID, "This domain token is not valid.");
        EmailTokens.Issued issued = tokens.resolve(cmd.token(), nonces, NONCE_SUBJECT).orElseThrow(() -> invalid);
        Aggregate<Member> member = Members.load(members, issued.ownerId(), () -> invalid);
        member.execute(m -> m.verifyDomain(issued.subject(), issued.nonce(), domains, clock.instant()));
        return issued.ownerId();
    }
}
