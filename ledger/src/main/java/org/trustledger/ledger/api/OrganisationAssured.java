package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An organisation was assured by an Organisation Assurer: O, C, ST and L of its certificates. */
@Revision("1")
public record OrganisationAssured(String organisationId, String name, String country, String state, String locality,
                                  String assuredBy, Instant assuredAt) {
}
