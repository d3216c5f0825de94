package org.trustledger.bench.load;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Figure 3, the member points/rights query: {@code member(id)} with status, points and issuance rights,
 * for a member drawn at random from the members the run made and a sample of the rest of the store
 * (the generated web of trust), asked by support (who may see every
 * member's points). Also the floor every GraphQL figure stands on: {@code { __typename }} with the same
 * bearer token, the cheapest request the endpoint answers (HTTP, token check, GraphQL parse and
 * execution, JSON), measured in the same run on the same machine and client as the real requests.
 */
final class MemberQueryLoad {

    static final String MEMBER = "query($id: ID!) { member(id: $id) { status "
            + "points { assurance experience total maxAssurancePoints } "
            + "rights { clientCertificate serverCertificate nameInCertificate class3Root } } }";
    static final String FLOOR = "{ __typename }";

    private final Http http;
    private final String bearer;
    private final List<String> memberIds;

    MemberQueryLoad(Http http, String bearer, List<String> memberIds) {
        this.http = http;
        this.bearer = bearer;
        this.memberIds = List.copyOf(memberIds);
    }

    int members() {
        return memberIds.size();
    }

    Supplier<Outcome> member() {
        return () -> http.attempt(bearer, MEMBER,
                Map.of("id", memberIds.get(ThreadLocalRandom.current().nextInt(memberIds.size()))), "member");
    }

    /** The floor: as cheap a GraphQL request as there is, with the same token. */
    Supplier<Outcome> floor() {
        return () -> http.attempt(bearer, FLOOR, Map.of(), "__typename");
    }
}
