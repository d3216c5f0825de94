package org.trustledger.ledger.api;

import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/** A challenge attempt began with these questions (ids only; the bank holds the answers). */
@Revision("1")
public record AssurerChallengeStarted(String memberId, String attemptId, List<String> questionIds, Instant startedAt) {
}
