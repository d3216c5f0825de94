package org.trustledger.server.security;

import java.util.Set;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.CallerStanding;
import org.trustledger.ledger.api.MemberStatus;

/**
 * Who is asking: an authenticated member, with their appointed roles and derived Assurer standing as
 * the ledger itself has them now (not a projection that may lag or be rebuilding), or nobody.
 */
public record Caller(String memberId, Set<String> roles, boolean assurer, boolean seniorAssurer) {

    public static final Caller ANONYMOUS = new Caller(null, Set.of(), false, false);

    /** The GraphQL context key under which the caller of a request is kept. */
    public static final String CONTEXT_KEY = "org.trustledger.server.security.Caller";

    /**
     * From the ledger's own record. A locked or deleted member is nobody: their sessions, API tokens and
     * client certificates stop working at once, on every node, without being revoked one by one.
     */
    public static Caller of(CallerStanding s) {
        if (!s.usable()) {
            return ANONYMOUS;
        }
        boolean assurer = s.status() == MemberStatus.ASSURER || s.status() == MemberStatus.SENIOR_ASSURER;
        return new Caller(s.memberId(), s.roles().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet()),
                assurer, s.status() == MemberStatus.SENIOR_ASSURER);
    }

    public boolean authenticated() {
        return memberId != null;
    }

    public boolean is(Object memberId) {
        return this.memberId != null && this.memberId.equals(memberId);
    }

    public boolean has(Role role) {
        return roles.contains(role.name());
    }

    public boolean support() {
        return has(Role.SUPPORT);
    }
}
