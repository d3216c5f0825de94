package org.trustledger.server.graphql;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.trustledger.server.security.Caller;
import org.trustledger.server.security.Privacy;
import org.springframework.stereotype.Controller;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.issuance.CertificateView;
import org.trustledger.issuance.IssuanceDesk;
import org.trustledger.issuance.IssuanceService;
import org.trustledger.issuance.Serials;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.NameVariant;
import org.trustledger.issuance.api.RequestCertificateCommand;
import org.trustledger.issuance.api.RevocationReason;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.ca.CaSettings;
import org.trustledger.issuance.openpgp.OpenPgpCa;
import org.trustledger.issuance.x509.Pem;
import org.trustledger.ledger.api.AddDomainCommand;
import org.trustledger.ledger.api.VerifyDomainCommand;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.MemberView;

/** Certificates, domains and OpenPGP signing over GraphQL; the decisions are the issuance module's. */
@Controller
public class IssuanceController {

    private final IssuanceService issuance;
    private final Privacy privacy;
    private final CertificateRegister register;
    private final CaHierarchy cas;
    private final OpenPgpCa openPgp;
    private final CommandGateway commands;
    private final MemberReadModel members;
    private final ReadModelSync sync;
    private final Clock clock;

    public IssuanceController(IssuanceService issuance, CertificateRegister register, CaHierarchy cas, OpenPgpCa openPgp,
                              CommandGateway commands, MemberReadModel members, ReadModelSync sync, Clock clock,
                              Privacy privacy) {
        this.issuance = issuance;
        this.privacy = privacy;
        this.register = register;
        this.cas = cas;
        this.openPgp = openPgp;
        this.commands = commands;
        this.members = members;
        this.sync = sync;
        this.clock = clock;
    }

    record RequestCertificateInput(String memberId, CertificateKind kind, String csr, String publicKey,
                                   List<String> names, NameVariant nameVariant, CaId root, Integer validityDays,
                                   String signatureHash, String organisationId, String organisationalUnit) {
    }

    record RequestCertificatePayload(String requestId, CertificateView certificate, Types.Refusal error) {
    }

    record RevokeCertificatePayload(CertificateView certificate, Types.Refusal error) {
    }

    record SignOpenPgpKeyPayload(OpenPgpCa.SignedKey signedKey, Types.Refusal error) {
    }

    record CertificateRequestOutcome(String requestId, String outcome, CertificateView certificate,
                                     Types.Refusal error) {
    }

    record CaCertificate(String name, String subject, String pem, String fingerprint, Instant notBefore,
                         Instant notAfter, String url, String crlUrl, String ocspUrl) {
    }

    @MutationMapping
    public RequestCertificatePayload requestCertificate(@Argument RequestCertificateInput input) {
        String requestId = UUID.randomUUID().toString();
        IssuanceService.Outcome outcome = issuance.request(new RequestCertificateCommand(requestId, input.memberId(),
                input.kind(), input.csr(), input.publicKey(), input.names(), input.nameVariant(), input.root(),
                input.validityDays(), input.signatureHash(), input.organisationId(), input.organisationalUnit(),
                input.memberId()));
        return new RequestCertificatePayload(requestId, outcome.certificate(), outcome.refusalCode() == null ? null
                : new Types.Refusal(outcome.refusalCode().name(), outcome.refusalReason()));
    }

    @MutationMapping
    public RevokeCertificatePayload revokeCertificate(@Argument String serial, @Argument RevocationReason reason,
                                                      @Argument String requestedBy,
                                                      @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        try {
            return new RevokeCertificatePayload(issuance.revoke(serial, reason,
                    requestedBy == null ? caller.memberId() : requestedBy, null), null);
        } catch (IssuanceRefusal r) {
            return new RevokeCertificatePayload(null, new Types.Refusal(r.code().name(), r.getMessage()));
        }
    }

    @MutationMapping
    public Types.MemberPayload addDomain(@Argument String memberId, @Argument String domain, @Argument String approver) {
        try {
            commands.sendAndWait(new AddDomainCommand(memberId, domain, approver));
        } catch (RuntimeException e) {
            return new Types.MemberPayload(null, LedgerMutations.refusal(e));
        }
        sync.awaitMember(memberId);
        return new Types.MemberPayload(members.member(memberId).orElseThrow(), null);
    }

    @MutationMapping
    public Types.MemberPayload verifyDomain(@Argument String token) {
        String memberId;
        try {
            memberId = commands.sendAndWait(new VerifyDomainCommand(token));
        } catch (RuntimeException e) {
            return new Types.MemberPayload(null, LedgerMutations.refusal(e));
        }
        sync.awaitMember(memberId);
        return new Types.MemberPayload(members.member(memberId).orElseThrow(), null);
    }

    @MutationMapping
    public SignOpenPgpKeyPayload signOpenPgpKey(@Argument String memberId, @Argument String publicKey) {
        MemberView member;
        try {
            sync.awaitMember(memberId);
            member = members.member(memberId).orElseThrow(() -> new IllegalArgumentException(
                    "No member with this id exists."));
        } catch (IllegalArgumentException e) {
            return new SignOpenPgpKeyPayload(null, new Types.Refusal("MEMBER_NOT_FOUND", e.getMessage()));
        }
        // As for certificates (IssuanceDesk): a locked, deleted or expired account gets nothing signed. Such a
        // member is also anonymous to the API (GraphQlAccess), so this holds even if that check moved.
        if (!member.standing().rights().openPgpKeySigning() || member.locked() || member.deleted()
                || member.accountExpired()) {
            return new SignOpenPgpKeyPayload(null, new Types.Refusal("OPENPGP_NOT_PERMITTED",
                    "OpenPGP key signing is for Assured Members (50 points or more) with a usable account."));
        }
        try {
            return new SignOpenPgpKeyPayload(openPgp.sign(publicKey, IssuanceDesk.nameVariants(member.name()),
                    Set.copyOf(member.verifiedEmails())), null);
        } catch (IllegalArgumentException e) {
            return new SignOpenPgpKeyPayload(null, new Types.Refusal("OPENPGP_KEY_INVALID", e.getMessage()));
        }
    }

    /** Seen by its owner and by whoever may see the owner's private data (support, their arbitrator). */
    @QueryMapping
    public CertificateView certificate(@Argument String serial, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return Serials.normalise(serial).flatMap(register::certificate)
                .filter(c -> privacy.maySeePrivate(caller, c.memberId())).orElse(null);
    }

    @QueryMapping
    public CertificateRequestOutcome certificateRequest(@Argument String id,
                                                        @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return register.request(id).filter(r -> privacy.maySeePrivate(caller, r.memberId())).map(r -> new CertificateRequestOutcome(r.requestId(), r.outcome(),
                r.serial() == null ? null : register.certificate(r.serial()).orElse(null),
                r.code() == null ? null : new Types.Refusal(r.code().name(), r.reason()))).orElse(null);
    }

    @QueryMapping
    public List<CaCertificate> caCertificates() {
        CaSettings s = cas.settings();
        List<CaCertificate> result = new ArrayList<>();
        for (CaId ca : CaId.values()) {
            result.add(caCertificate(ca.slug(), cas.certificate(ca), s.caCertificateUrl(ca), s.crlUrl(ca), s.ocspUrl(ca)));
        }
        for (CaId ca : CaId.values()) {
            result.add(caCertificate(ca.slug() + "-ocsp", cas.ocspSigner(ca).certificate(),
                    s.baseUrl() + "/ca/" + ca.slug() + "-ocsp.der", null, null));
        }
        return result;
    }

    @SchemaMapping(typeName = "Member")
    public List<CertificateView> certificates(MemberView member, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        return privacy.maySeePrivate(caller, member.id()) ? register.certificatesOfMember(member.id()) : List.of();
    }

    @SchemaMapping(typeName = "Certificate")
    public String status(CertificateView c) {
        return c.status(clock.instant()).name();
    }

    @SchemaMapping(typeName = "Certificate")
    public List<String> names(CertificateView c) {
        return c.subjectAltNames();
    }

    @SchemaMapping(typeName = "Certificate")
    public String fingerprint(CertificateView c) {
        return c.sha256Fingerprint();
    }

    @SchemaMapping(typeName = "SignedOpenPgpKey")
    public List<OpenPgpCa.DroppedUserId> droppedUserIds(OpenPgpCa.SignedKey key) {
        return key.dropped();
    }

    private static CaCertificate caCertificate(String name, X509Certificate cert, String url, String crlUrl,
                                               String ocspUrl) {
        return new CaCertificate(name, cert.getSubjectX500Principal().getName(), Pem.certificate(der(cert)),
                Pem.sha256Fingerprint(der(cert)),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), url, crlUrl, ocspUrl);
    }

    private static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
