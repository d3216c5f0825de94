package org.trustledger.issuance;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.IssuanceRefusalCode;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.ledger.api.CertificateRevocationOrdered;

/**
 * Carries out arbitration's "revoke certificates" rulings: the serials named, or (with none) every
 * valid certificate of the member that relies on a right the member no longer has. Never replayed: a
 * projection rebuild must not revoke again.
 */
@ProcessingGroup(RevocationOrders.PROCESSING_GROUP)
public class RevocationOrders {

    public static final String PROCESSING_GROUP = "revocation-orders";
    private static final Logger log = LoggerFactory.getLogger(RevocationOrders.class);
    private final IssuanceService issuance;
    private final IssuanceDesk desk;
    private final CertificateRegister register;

    public RevocationOrders(IssuanceService issuance, IssuanceDesk desk, CertificateRegister register) {
        this.issuance = issuance;
        this.desk = desk;
        this.register = register;
    }

    @EventHandler
    @DisallowReplay
    void on(CertificateRevocationOrdered order) {
        List<String> serials = new ArrayList<>(order.serials());
        if (serials.isEmpty()) {
            for (CertificateView c : register.certificatesOfMember(order.memberId())) {
                if (c.status(order.orderedAt()) == CertificateView.Status.VALID
                        && !desk.rightsLost(c.rights(), order.memberId(), c.organisationId()).isEmpty()) {
                    serials.add(c.serial());
                }
            }
        }
        for (String serial : serials) {
            if (Serials.normalise(serial).flatMap(register::certificate)
                    .filter(c -> c.memberId().equals(order.memberId())).isEmpty()) {
                log.warn("Case {}: certificate {} is not one of member {}'s; not revoked", order.caseId(), serial,
                        order.memberId());
                continue;
            }
            try {
                issuance.revokeWithinHandler(serial, RevocationReason.PRIVILEGE_WITHDRAWN, "arbitration", order.caseId());
                log.info("Revoked certificate {} by ruling in case {}", serial, order.caseId());
            } catch (IssuanceRefusal r) {
                if (r.code() != IssuanceRefusalCode.ALREADY_REVOKED) {
                    log.warn("Case {}: certificate {} not revoked: {}", order.caseId(), serial, r.getMessage());
                }
            }
        }
    }
}
