package org.trustledger.query;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.rules.Standing;

/**
 * A member as the read model knows them, with the standing derived for the day it was read.
 *
 * @param receivedAssuranceIds assurances received, oldest first
 * @param givenCount           how many assurances the member gave (the ids: {@link MemberReadModel#givenAssuranceIds})
 * @param lastSequence         the member's last ledger event this view has seen
 */
public record MemberView(String id, PersonName name, LocalDate dateOfBirth, String primaryEmail,
                         List<String> verifiedEmails, boolean accountExpired, Instant registeredAt,
                         boolean founding, Standing standing, List<String> receivedAssuranceIds,
                         int givenCount, long lastSequence, List<String> roles, boolean locked,
                         boolean blockedAsAssurer, boolean parentalConsent, boolean deleted,
                         List<String> verifiedDomains) {
}
