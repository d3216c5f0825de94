package org.trustledger.ledger.api;

import java.util.List;

/**
 * An Organisation Assurer records an organisation they have assured (its legal name and seat), with
 * its first administrators, who must be Assurers.
 */
public record AssureOrganisationCommand(String organisationId, String assurerId, String name, String country,
                                        String state, String locality, List<String> adminIds) {
}
