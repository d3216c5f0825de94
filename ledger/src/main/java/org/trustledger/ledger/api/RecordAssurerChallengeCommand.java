package org.trustledger.ledger.api;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record a passed Assurer Challenge (an admin command until the quiz exists). */
public record RecordAssurerChallengeCommand(@TargetAggregateIdentifier String memberId, int scorePercent,
                                            LocalDate passedOn, String recordedBy) {
}
