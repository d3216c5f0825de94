package org.trustledger.ledger.api;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Support enabled or disabled code signing for the member; it counts only while they are an Assurer. */
@Revision("1")
public record CodeSigningPermissionChanged(String memberId, boolean enabled, String setBy, String reason,
                                           Instant changedAt) {
}
