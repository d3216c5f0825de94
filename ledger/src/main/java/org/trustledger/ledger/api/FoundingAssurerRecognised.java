package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Genesis: a founding member from configuration starts as an Assurer. The only event granting points outside the assurance rules. */
@Revision("1")
public record FoundingAssurerRecognised(String memberId, int assurancePoints, int experiencePoints, boolean challengePassed, String source,
                                        Instant recognisedAt) {
}
