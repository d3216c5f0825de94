package org.trustledger.ledger.api;

import java.time.LocalDate;
import java.util.List;

/**
 * Genesis: record a founding member from configuration as an Assurer (100 AP, challenge passed, 50 EP),
 * with the appointed roles the file gives (someone must be Support before anyone can appoint).
 */
public record RecogniseFoundingAssurerCommand(String memberId, PersonName name, LocalDate dateOfBirth,
                                              String email, String passphrase, String source, List<Role> roles) {

    @Override
    public String toString() {
        return "RecogniseFoundingAssurerCommand[memberId=" + memberId + ", source=" + source + "]";
    }
}
