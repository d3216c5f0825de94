package org.trustledger.issuance;

import java.util.EnumSet;
import java.util.Set;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.IssuanceRefusalCode;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.issuance.api.RevokeCertificateCommand;
import org.trustledger.ledger.api.Role;
import org.trustledger.query.MemberReadModel;

/**
 * Who may revoke (DOMAIN.md section 8): the certificate's owner, support in an emergency, or an
 * arbitration ruling; and with which RFC 5280 reason. privilegeWithdrawn is not the owner's to give.
 */
public class RevocationPolicy {

    /** The actor recorded when the issuance step itself revokes (the member lost the rights it relied on). */
    public static final String ISSUANCE = "issuance";
    private static final Set<RevocationReason> OWNER_REASONS = EnumSet.of(RevocationReason.UNSPECIFIED,
            RevocationReason.KEY_COMPROMISE, RevocationReason.AFFILIATION_CHANGED, RevocationReason.SUPERSEDED,
            RevocationReason.CESSATION_OF_OPERATION);

    private final MemberReadModel members;

    public RevocationPolicy(MemberReadModel members) {
        this.members = members;
    }

    void check(String ownerId, RevokeCertificateCommand cmd) {
        if (cmd.reason() == null) {
            throw new IssuanceRefusal(IssuanceRefusalCode.REVOCATION_REASON_NOT_ALLOWED, "Give a revocation reason.");
        }
        if (cmd.caseId() != null || ISSUANCE.equals(cmd.requestedBy())) {
            return; // an arbitration ruling (authorised by the case) or the issuance step's own withdrawal
        }
        boolean owner = ownerId.equals(cmd.requestedBy());
        boolean support = cmd.requestedBy() != null && members.member(cmd.requestedBy())
                .map(m -> m.roles().contains(Role.SUPPORT.name()) && !m.locked()).orElse(false);
        if (!owner && !support) {
            throw new IssuanceRefusal(IssuanceRefusalCode.NOT_AUTHORISED, "Only the certificate's owner, support or"
                    + " an arbitration ruling may revoke it.");
        }
        if (!support && !OWNER_REASONS.contains(cmd.reason())) {
            throw new IssuanceRefusal(IssuanceRefusalCode.REVOCATION_REASON_NOT_ALLOWED, "An owner revokes for "
                    + OWNER_REASONS + "; " + cmd.reason() + " is for support and arbitration.");
        }
    }
}
