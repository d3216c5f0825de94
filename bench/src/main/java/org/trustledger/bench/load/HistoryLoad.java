package org.trustledger.bench.load;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Figure 5, history for a busy member: {@code pointsAsOf} (at a random instant of the ledger's life, in
 * either view) and {@code voidingImpact} of one of their assurances, asked by support, for the member of
 * the generated web of trust who gave the most assurances (the power law makes a few Assurers give
 * thousands). Every assurance given is an entry of the assurer's history (experience points), so both
 * questions fold the whole of that history.
 */
final class HistoryLoad {

    static final String GIVEN = "query($id: ID!) { member(id: $id) { assurancesGiven(first: 50) { totalCount "
            + "edges { node { id } } } } }";
    static final String HISTORY = "query($id: ID!) { memberHistory(memberId: $id) { at } }";
    static final String POINTS_AS_OF = "query($id: ID!, $at: DateTime!, $view: HistoryView!) { pointsAsOf(memberId: $id, "
            + "at: $at, view: $view) { status points { assurance experience total } rights { class3Root } } }";
    static final String VOIDING_IMPACT = "query($id: ID!) { voidingImpact(assuranceId: $id) { "
            + "assuree { pointsBefore { total } pointsAfter { total } statusAfter rightsLost } "
            + "assurer { pointsBefore { total } pointsAfter { total } statusAfter rightsLost } } }";

    private final Http http;
    private final String bearer;
    final String memberId;
    final long assurancesGiven;
    final int historyEntries;
    private final List<String> assuranceIds;
    private final Instant first;
    private final Instant last;

    private HistoryLoad(Http http, String bearer, String memberId, long assurancesGiven, int historyEntries,
                        List<String> assuranceIds, Instant first, Instant last) {
        this.http = http;
        this.bearer = bearer;
        this.memberId = memberId;
        this.assurancesGiven = assurancesGiven;
        this.historyEntries = historyEntries;
        this.assuranceIds = assuranceIds;
        this.first = first;
        this.last = last;
    }

    /** Finds, among {@code candidates}, the member who gave the most assurances. */
    static HistoryLoad busiest(Http http, String bearer, List<String> candidates) {
        String best = null;
        JsonNode bestGiven = null;
        long most = -1;
        for (String id : candidates) {
            JsonNode given = http.must(bearer, GIVEN, Map.of("id", id), "member").path("assurancesGiven");
            long count = given.path("totalCount").asLong();
            if (count > most) {
                most = count;
                best = id;
                bestGiven = given;
            }
        }
        if (best == null || most <= 0) {
            throw new IllegalStateException("no member among " + candidates.size() + " gave an assurance");
        }
        List<String> assurances = new java.util.ArrayList<>();
        for (JsonNode edge : bestGiven.path("edges")) {
            assurances.add(edge.path("node").path("id").asString());
        }
        JsonNode history = http.graphQl(bearer, HISTORY, Map.of("id", best)).path("data").path("memberHistory");
        Instant first = Instant.parse(history.path(0).path("at").asString());
        Instant last = Instant.parse(history.path(history.size() - 1).path("at").asString());
        return new HistoryLoad(http, bearer, best, most, history.size(), assurances, first, last);
    }

    Supplier<Outcome> pointsAsOf() {
        return () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long span = Math.max(1, last.toEpochMilli() - first.toEpochMilli());
            Instant at = first.plusMillis(random.nextLong(span + 1));
            return http.attempt(bearer, POINTS_AS_OF, Map.of("id", memberId, "at", at.toString(),
                    "view", random.nextBoolean() ? "AS_RECORDED" : "AS_CORRECTED"), "pointsAsOf");
        };
    }

    Supplier<Outcome> voidingImpact() {
        return () -> http.attempt(bearer, VOIDING_IMPACT,
                Map.of("id", assuranceIds.get(ThreadLocalRandom.current().nextInt(assuranceIds.size()))),
                "voidingImpact");
    }
}
