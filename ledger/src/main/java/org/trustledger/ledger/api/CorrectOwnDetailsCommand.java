package org.trustledger.ledger.api;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A member corrects their own name and date of birth: allowed only while they have 0 AP (DOMAIN.md section 1). */
public record CorrectOwnDetailsCommand(@TargetAggregateIdentifier String memberId, PersonName name,
                                       LocalDate dateOfBirth) {
}
