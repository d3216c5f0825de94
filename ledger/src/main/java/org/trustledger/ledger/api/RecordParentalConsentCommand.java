package org.trustledger.ledger.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
/** Record the parental consent of an under-18 member; by Support or an Assurer. */
public record RecordParentalConsentCommand(@TargetAggregateIdentifier String memberId, String guardianName, String recordedBy) {
}
