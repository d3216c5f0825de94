package org.trustledger.query;

import java.time.Instant;
import java.util.List;

/** An assured organisation as the read model knows it. */
public record OrganisationView(String id, String name, String country, String state, String locality,
                               List<String> adminIds, List<String> verifiedDomains, String assuredBy,
                               Instant assuredAt, long lastSequence) {
}
