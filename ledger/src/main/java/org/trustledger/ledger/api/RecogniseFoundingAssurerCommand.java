package org.trustledger.ledger.api;

import java.time.LocalDate;

/** Genesis: record a founding member from configuration as an Assurer (100 AP, challenge passed, 50 EP). */
public record RecogniseFoundingAssurerCommand(String memberId, PersonName name, LocalDate dateOfBirth,
                                              String email, String passphrase, String source) {

    @Override
    public String toString() {
        return "RecogniseFoundingAssurerCommand[memberId=" + memberId + ", source=" + source + "]";
    }
}
