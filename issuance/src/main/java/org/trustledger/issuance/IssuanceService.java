package org.trustledger.issuance;

import java.time.Duration;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustledger.issuance.api.CertificateIssued;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.IssuanceRefusalCode;
import org.trustledger.issuance.api.RequestCertificateCommand;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.issuance.api.RevokeCertificateCommand;
import org.trustledger.issuance.api.SignCertificateCommand;
import org.trustledger.issuance.status.CrlPublisher;
import org.trustledger.issuance.status.CrlShards;
import org.trustledger.query.ProjectionProgress;

/**
 * Runs a request through the {@link CertificateRequest} aggregate: decide and reserve (one commit),
 * sign (a second commit, refused if the first was a refusal), wait once for the register, then look
 * again at the ledger: if the member's record changed after their rights were read and the
 * certificate relies on a right now gone (a voiding racing the request), it is revoked at once with
 * privilegeWithdrawn. Revocations publish a fresh CRL before returning.
 */
public class IssuanceService {

    private static final Logger log = LoggerFactory.getLogger(IssuanceService.class);
    private final CommandGateway commands;
    private final EventStore eventStore;
    private final CertificateRegister register;
    private final IssuanceDesk desk;
    private final CrlPublisher crls;
    private final Duration wait;
    private final ProjectionProgress progress;

    public IssuanceService(CommandGateway commands, EventStore eventStore, CertificateRegister register,
                           IssuanceDesk desk, CrlPublisher crls, Duration wait, ProjectionProgress progress) {
        this.progress = progress;
        this.commands = commands;
        this.eventStore = eventStore;
        this.register = register;
        this.desk = desk;
        this.crls = crls;
        this.wait = wait;
    }

    /** The result of a request: the certificate, or the recorded refusal. */
    public record Outcome(String requestId, CertificateView certificate, IssuanceRefusalCode refusalCode,
                          String refusalReason) {
    }

    public Outcome request(RequestCertificateCommand cmd) {
        commands.sendAndWait(cmd);
        CertificateIssued signed;
        try {
            // Straight on to signing: the aggregate knows whether the request was refused, so the register
            // is waited for once, at the end, not also between the two commits.
            signed = commands.sendAndWait(new SignCertificateCommand(cmd.requestId()));
        } catch (IssuanceRefusal refusal) {
            awaitRegister(cmd.requestId());
            CertificateRegister.RequestOutcome decided = register.request(cmd.requestId()).orElseThrow(() -> refusal);
            if ("REFUSED".equals(decided.outcome())) {
                return new Outcome(cmd.requestId(), null, decided.code(), decided.reason());
            }
            throw refusal;
        }
        awaitRegister(cmd.requestId());
        CertificateView issued = register.certificate(signed.serial()).orElseThrow();
        long ledgerNow = eventStore.lastSequenceNumberFor(issued.memberId()).orElse(-1L);
        if (ledgerNow > issued.ledgerSequence()) {
            List<String> lost = desk.rightsLost(issued.rights(), issued.memberId(), issued.organisationId());
            if (!lost.isEmpty()) {
                log.warn("Certificate {} lost its backing ({}) while it was issued: revoking it", issued.serial(), lost);
                revoke(issued.serial(), RevocationReason.PRIVILEGE_WITHDRAWN, RevocationPolicy.ISSUANCE, null);
                issued = register.certificate(signed.serial()).orElseThrow();
            }
        }
        return new Outcome(cmd.requestId(), issued, null, null);
    }

    /** Revokes by serial (any hex form) and publishes the next CRL of its shard. */
    public CertificateView revoke(String serial, RevocationReason reason, String requestedBy, String caseId) {
        CertificateView certificate = record(serial, reason, requestedBy, caseId);
        awaitRegister(certificate.requestId());
        crls.publish(certificate.issuer(), CrlShards.of(certificate.serial()));
        return register.certificate(certificate.serial()).orElseThrow();
    }

    /**
     * Records a revocation without waiting for the register or publishing: for callers inside an event
     * handler, whose unit of work commits the revocation only when they return. The CRL schedule
     * publishes it within a minute.
     */
    public void revokeWithinHandler(String serial, RevocationReason reason, String requestedBy, String caseId) {
        record(serial, reason, requestedBy, caseId);
    }

    private CertificateView record(String serial, RevocationReason reason, String requestedBy, String caseId) {
        String hex = Serials.normalise(serial).orElseThrow(() -> new IssuanceRefusal(
                IssuanceRefusalCode.CERTIFICATE_NOT_FOUND, "'" + serial + "' is not a serial number (hex)."));
        CertificateView certificate = register.certificate(hex).orElseThrow(() -> new IssuanceRefusal(
                IssuanceRefusalCode.CERTIFICATE_NOT_FOUND, "No certificate with serial " + hex + "."));
        commands.sendAndWait(new RevokeCertificateCommand(certificate.requestId(), reason, requestedBy, caseId));
        return certificate;
    }

    private void awaitRegister(String requestId) {
        progress.await(eventStore, CertificateRegister.PROCESSING_GROUP, requestId, register::lastSequence, wait);
    }

}
