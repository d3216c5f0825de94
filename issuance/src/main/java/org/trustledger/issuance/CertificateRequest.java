package org.trustledger.issuance;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Clock;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.trustledger.issuance.api.CertificateIssued;
import org.trustledger.issuance.api.CertificateRequestRefused;
import org.trustledger.issuance.api.CertificateReserved;
import org.trustledger.issuance.api.CertificateRevoked;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.IssuanceRefusalCode;
import org.trustledger.issuance.api.RequestCertificateCommand;
import org.trustledger.issuance.api.RevokeCertificateCommand;
import org.trustledger.issuance.api.SignCertificateCommand;

/**
 * One certificate request and, if granted, the certificate's life: refused, or reserved (serial taken,
 * contents linted and recorded), then issued (signed exactly as reserved), then perhaps revoked.
 * Reservation and signature are two commits, so a crash between them leaves a visible reservation,
 * never a signed certificate the ledger does not know.
 */
@Aggregate(cache = "certificateRequestCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class CertificateRequest {

    @AggregateIdentifier
    private String requestId;
    private String memberId;
    private CertificateReserved reservation;
    private boolean issued;
    private boolean revoked;

    protected CertificateRequest() {
        // for Axon
    }

    @CommandHandler
    public CertificateRequest(RequestCertificateCommand cmd, IssuanceDesk desk, Clock clock) {
        try {
            apply(desk.reserve(cmd));
        } catch (IssuanceRefusal refusal) {
            apply(new CertificateRequestRefused(cmd.requestId(), cmd.memberId(), cmd.kind(), refusal.code(),
                    refusal.getMessage(), clock.instant()));
        }
    }

    @CommandHandler
    public CertificateIssued handle(SignCertificateCommand cmd, IssuanceDesk desk) {
        if (reservation == null) {
            throw new IssuanceRefusal(IssuanceRefusalCode.NOT_ISSUED, "Request " + requestId + " was refused.");
        }
        if (issued) {
            throw new IssuanceRefusal(IssuanceRefusalCode.NOT_ISSUED, "Request " + requestId + " is already signed.");
        }
        if (revoked) {
            throw new IssuanceRefusal(IssuanceRefusalCode.ALREADY_REVOKED, "Serial " + reservation.serial()
                    + " was revoked before it was signed: it will never be.");
        }
        CertificateIssued certificate = desk.sign(reservation);
        apply(certificate);
        return certificate;
    }

    /**
     * Revokes the certificate, or a serial that was reserved but never signed (the server died between
     * the two steps): such a serial goes on the CRL too, so that nothing could ever be accepted under it.
     */
    @CommandHandler
    public void handle(RevokeCertificateCommand cmd, RevocationPolicy policy, Clock clock) {
        if (reservation == null) {
            throw new IssuanceRefusal(IssuanceRefusalCode.NOT_ISSUED, "Request " + requestId
                    + " was refused: there is nothing to revoke.");
        }
        if (revoked) {
            throw new IssuanceRefusal(IssuanceRefusalCode.ALREADY_REVOKED, "Certificate " + reservation.serial()
                    + " is already revoked.");
        }
        policy.check(memberId, cmd);
        apply(new CertificateRevoked(requestId, memberId, reservation.serial(), reservation.issuer(), cmd.reason(),
                cmd.requestedBy(), cmd.caseId(), clock.instant()));
    }

    @EventSourcingHandler
    void on(CertificateRequestRefused e) {
        requestId = e.requestId();
        memberId = e.memberId();
    }

    @EventSourcingHandler
    void on(CertificateReserved e) {
        requestId = e.requestId();
        memberId = e.memberId();
        reservation = e;
    }

    @EventSourcingHandler
    void on(CertificateIssued e) {
        issued = true;
    }

    @EventSourcingHandler
    void on(CertificateRevoked e) {
        revoked = true;
    }
}
