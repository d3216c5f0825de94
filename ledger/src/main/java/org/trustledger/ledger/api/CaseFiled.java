package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An arbitration case was filed. */
@Revision("1")
public record CaseFiled(String caseId, String claimantId, String respondentId, String relief, String filedBy, Instant filedAt) {
}
