package org.trustledger.query;

import java.time.Instant;
import java.util.List;

/** An arbitration case as the read model knows it, with its rulings in order. */
public record CaseView(String id, String claimantId, String respondentId, String relief, String filedBy,
                       Instant filedAt, String arbitratorId, boolean closed, String resolution, Instant closedAt,
                       List<RulingView> rulings, long lastSequence) {

    /** One ruling: the remedy, on whom, by whom, why. */
    public record RulingView(String remedy, String subjectId, String detail, String reason, String arbitratorId,
                             Instant madeAt) {
    }
}
