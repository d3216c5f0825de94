package org.trustledger.server.security;

import org.springframework.stereotype.Component;
import org.trustledger.ledger.api.Role;
import org.trustledger.query.CaseProjection;

/**
 * DOMAIN.md sections 1 and 5: a member's points, rights, name, date of birth, emails, domains,
 * assurances and certificates are visible to the member, to support, and to an arbitrator assigned to
 * a case the member is a party to; everyone else sees the member's status only.
 */
@Component
public class Privacy {

    private final CaseProjection cases;

    public Privacy(CaseProjection cases) {
        this.cases = cases;
    }

    public boolean maySeePrivate(Caller caller, String memberId) {
        if (caller == null || !caller.authenticated()) {
            return false;
        }
        return caller.is(memberId) || caller.support()
                || (caller.has(Role.ARBITRATOR) && cases.arbitrates(caller.memberId(), memberId));
    }
}
