package org.trustledger.ledger.api;

import java.time.LocalDate;
import java.util.List;

/** Register a new member; the passphrase and answers are hashed by the ledger and never stored plain. */
public record RegisterMemberCommand(String memberId, PersonName name, LocalDate dateOfBirth, String email,
                                    String passphrase, List<SecurityQuestionAnswer> securityQuestions) {

    @Override
    public String toString() {
        // Keep secrets out of logs and error messages.
        return "RegisterMemberCommand[memberId=" + memberId + "]";
    }
}
