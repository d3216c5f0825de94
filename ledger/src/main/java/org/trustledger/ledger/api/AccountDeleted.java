package org.trustledger.ledger.api;

import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/** Ruling effect: the account was anonymised (names and emails replaced by the case id, date of birth cleared, credentials destroyed, locked); its assurances are kept. */
@Revision("1")
public record AccountDeleted(String caseId, String memberId, List<String> releasedEmails, Instant deletedAt) {
}
