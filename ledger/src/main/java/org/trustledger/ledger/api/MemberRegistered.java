package org.trustledger.ledger.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.serialization.Revision;

/** A member registered; passphrase and answers only as hashes. */
@Revision("1")
public record MemberRegistered(String memberId, PersonName name, LocalDate dateOfBirth, String primaryEmail, String passphraseHash,
                               List<SecurityQuestion> securityQuestions, Instant registeredAt) {
}
