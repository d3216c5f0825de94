package org.trustledger.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Figure 3, assurances recorded per second through GraphQL ({@code recordAssurance}, 10 points each,
 * the most a new Assurer may award). The ledger allows one active assurance per assurer and assuree,
 * so each pair is used once: every assurer walks the assurees in turn from its own starting point,
 * spread evenly, so that clients running at once touch different assurees (an assurance writes to
 * both members' records, and two clients on one record would measure lock contention a real
 * community spreads out). Assurees past 100 AP are still assured: the ledger records such an
 * assurance (it counts 0 for the assuree and still earns the assurer EP), as DOMAIN.md section 2 says.
 *
 * <p>A client that has used all its pairs reports {@link Outcome#EXHAUSTED}, which ends the window:
 * the rate is then measured over the shorter window and flagged, never padded.
 */
final class AssuranceLoad {

    static final int POINTS = 10;

    private final Http http;
    private final List<Community.Member> assurers;
    private final List<Community.Member> assurees;
    /** Per assurer: how many assurees it has assured so far (the next is at its offset + this). */
    private final int[] used;

    AssuranceLoad(Http http, List<Community.Member> assurers, List<Community.Member> assurees) {
        this.http = http;
        this.assurers = assurers;
        this.assurees = assurees;
        this.used = new int[assurers.size()];
    }

    int pairsLeft() {
        int left = 0;
        for (int u : used) {
            left += assurees.size() - u;
        }
        return left;
    }

    /**
     * A client that owns the assurers {@code index}, {@code index + clients}, ... and takes one assurance
     * from each in turn. Clients own disjoint assurers, so {@code used} needs no lock.
     */
    Supplier<Outcome> client(int index, int clients) {
        List<Integer> mine = new ArrayList<>();
        for (int a = index; a < assurers.size(); a += clients) {
            mine.add(a);
        }
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("Client " + index + " of " + clients
                    + " has no assurer: make more Assurers");
        }
        int[] turn = {0};
        return () -> {
            for (int tries = 0; tries < mine.size(); tries++) {
                int a = mine.get(turn[0]++ % mine.size());
                if (used[a] < assurees.size()) {
                    return assure(a);
                }
            }
            return Outcome.EXHAUSTED;
        };
    }

    private Outcome assure(int a) {
        int offset = (int) ((long) a * assurees.size() / assurers.size());
        Community.Member assurer = assurers.get(a);
        Community.Member assuree = assurees.get((offset + used[a]++) % assurees.size());
        return http.attempt(assurer.token(), Community.ASSURE, Map.of("input",
                Community.assurance(assurer.id(), assuree.email(), POINTS)), "recordAssurance");
    }
}
