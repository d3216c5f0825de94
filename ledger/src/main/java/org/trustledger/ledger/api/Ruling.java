package org.trustledger.ledger.api;

import java.time.LocalDate;
import java.util.List;

/**
 * The remedies an arbitrator may rule (DOMAIN.md section 6). Each names its subject and a reason.
 */
public sealed interface Ruling {

    String reason();

    /** Void an assurance of any kind: it stops counting for the assuree's AP and the assurer's EP. */
    record VoidAssurance(String assuranceId, String reason) implements Ruling {
    }

    /** Adjust a member's points by the given amounts (either may be negative). */
    record AdjustPoints(String memberId, int assurancePointsDelta, int experiencePointsDelta, String reason)
            implements Ruling {
    }

    /** Block (or unblock) a member as assurer. */
    record BlockAssurer(String memberId, boolean blocked, String reason) implements Ruling {
    }

    /** Lock a member's account. */
    record LockAccount(String memberId, String reason) implements Ruling {
    }

    /** Correct a member's name. */
    record ChangeName(String memberId, PersonName name, String reason) implements Ruling {
    }

    /** Correct a member's date of birth. */
    record ChangeDateOfBirth(String memberId, LocalDate dateOfBirth, String reason) implements Ruling {
    }

    /** Delete an account: anonymised, credentials destroyed, locked; its assurances are kept. */
    record DeleteAccount(String memberId, String reason) implements Ruling {
    }

    /** Revoke certificates: the serials chosen, or (with none) all that lost their backing. */
    record RevokeCertificates(String memberId, List<String> serials, String reason) implements Ruling {
    }
}
