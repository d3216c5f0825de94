package org.trustledger.issuance;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.api.CertificateIssued;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.api.CertificateReserved;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.IssuanceRefusalCode;
import org.trustledger.issuance.api.NameVariant;
import org.trustledger.issuance.api.RequestCertificateCommand;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.x509.CertificateTemplate;
import org.trustledger.issuance.x509.Linter;
import org.trustledger.issuance.x509.Pem;
import org.trustledger.issuance.x509.RequestKey;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.rules.Domains;
import org.trustledger.ledger.rules.Emails;
import org.trustledger.ledger.rules.IssuanceRights;
import org.trustledger.query.MemberView;
import org.trustledger.query.OrganisationView;

/**
 * The issuance rules of DOMAIN.md section 7, applied for the {@link CertificateRequest} aggregate:
 * reads the member's rights from the projections (caught up with the ledger), checks the key, decides
 * every name and date, reserves a serial, lints the to-be-signed certificate, and later signs exactly
 * what was reserved.
 */
public class IssuanceDesk {

    /** DOMAIN.md section 7 validities. */
    static final int UNASSURED_DAYS = 180;
    static final int ASSURED_DAYS = 730;
    static final int CODE_SIGNING_DAYS = 730;
    static final int ORGANISATION_CLIENT_DAYS = 365;
    static final int ORGANISATION_SERVER_DAYS = 730;
    /** An assured organisation's server certificates may carry several names and wildcards. */
    private static final IssuanceRights ORGANISATION_RIGHTS = new IssuanceRights(false, true, false, false, true, true,
            false, false, true, ORGANISATION_SERVER_DAYS);
    static final int MAX_NAMES = 100;
    static final String UNNAMED_CN = "CAcert WoT User";
    private static final Set<String> DIGESTS = Set.of("SHA256", "SHA384", "SHA512");

    private final MemberRights members;
    private final CaHierarchy cas;
    private final Serials serials;
    private final Clock clock;

    public IssuanceDesk(MemberRights members, CaHierarchy cas, Serials serials, Clock clock) {
        this.members = members;
        this.cas = cas;
        this.serials = serials;
        this.clock = clock;
    }

    /** Everything that will be signed, or an {@link IssuanceRefusal} saying why nothing will. */
    public CertificateReserved reserve(RequestCertificateCommand cmd) {
        if (cmd.kind() == null) {
            throw refuse(IssuanceRefusalCode.KIND_NOT_PERMITTED, "Say which kind of certificate: CLIENT, SERVER,"
                    + " CODE_SIGNING, ORGANISATION_CLIENT or ORGANISATION_SERVER.");
        }
        MemberView member = members.current(cmd.memberId());
        if (member.deleted() || member.locked() || member.accountExpired()) {
            throw refuse(IssuanceRefusalCode.ACCOUNT_UNUSABLE, "This account is " + (member.deleted() ? "deleted"
                    : member.locked() ? "locked by an arbitration ruling" : "expired") + ": nothing can be issued.");
        }
        if (cmd.requestedBy() != null && !cmd.requestedBy().equals(cmd.memberId())) {
            throw refuse(IssuanceRefusalCode.NOT_AUTHORISED, "Members request certificates for themselves only.");
        }
        IssuanceRights rights = member.standing().rights();
        String digest = digest(cmd.signatureHash());
        Set<String> used = new LinkedHashSet<>();
        List<String> names = cmd.names() == null ? List.of() : cmd.names();
        if (names.size() > MAX_NAMES) {
            throw refuse(IssuanceRefusalCode.TOO_MANY_NAMES, "At most " + MAX_NAMES + " names per certificate.");
        }
        List<String> sans;
        String cn;
        int maxDays;
        X500NameBuilder subjectBuilder = new X500NameBuilder(BCStyle.INSTANCE);
        Set<String> domainsInScope = Set.copyOf(member.verifiedDomains());
        Set<String> emailsInScope = Set.copyOf(member.verifiedEmails());
        boolean organisation = cmd.kind() == CertificateKind.ORGANISATION_CLIENT
                || cmd.kind() == CertificateKind.ORGANISATION_SERVER;
        OrganisationView org = null;
        if (organisation) {
            org = members.organisation(cmd.organisationId());
            if (!org.adminIds().contains(member.id())) {
                throw refuse(IssuanceRefusalCode.NOT_ORGANISATION_ADMIN, "Only an administrator of the organisation"
                        + " may request its certificates.");
            }
            if (!member.standing().assurer()) {
                throw refuse(IssuanceRefusalCode.NOT_ORGANISATION_ADMIN, "An organisation's administrator must be an"
                        + " Assurer to request its certificates.");
            }
            used.add("organisationCertificates");
            domainsInScope = Set.copyOf(org.verifiedDomains());
            subjectBuilder.addRDN(BCStyle.C, org.country());
            if (org.state() != null) {
                subjectBuilder.addRDN(BCStyle.ST, org.state());
            }
            subjectBuilder.addRDN(BCStyle.L, org.locality()).addRDN(BCStyle.O, org.name());
            String unit = cmd.organisationalUnit() == null ? null : cmd.organisationalUnit().strip();
            if (unit != null && !unit.isEmpty()) {
                if (unit.length() > 64 || unit.chars().anyMatch(Character::isISOControl)) {
                    throw refuse(IssuanceRefusalCode.NAMES_REQUIRED, "The organisational unit (OU) has at most 64"
                            + " printable characters.");
                }
                subjectBuilder.addRDN(BCStyle.OU, unit);
            }
        }
        switch (cmd.kind()) {
            case CLIENT -> {
                if (!rights.clientCertificate()) {
                    throw refuse(IssuanceRefusalCode.KIND_NOT_PERMITTED, "A client certificate needs a verified email"
                            + " address.");
                }
                used.add("clientCertificate");
                sans = emails(names, member);
                cn = cmd.nameVariant() == null ? UNNAMED_CN : personalName(member, cmd.nameVariant(), rights, used);
                maxDays = rights.nameInCertificate() ? ASSURED_DAYS : UNASSURED_DAYS;
            }
            case SERVER -> {
                if (!rights.serverCertificate()) {
                    throw refuse(IssuanceRefusalCode.KIND_NOT_PERMITTED, "A server certificate needs a verified domain.");
                }
                used.add("serverCertificate");
                sans = hosts(names, Set.copyOf(member.verifiedDomains()), rights, used);
                cn = sans.get(0).substring(4);
                maxDays = rights.nameInCertificate() ? ASSURED_DAYS : UNASSURED_DAYS;
            }
            case CODE_SIGNING -> {
                if (!rights.codeSigning()) {
                    throw refuse(IssuanceRefusalCode.KIND_NOT_PERMITTED, "Code signing needs an Assurer for whom"
                            + " support enabled it.");
                }
                used.add("codeSigning");
                sans = emails(names, member);
                cn = personalName(member, cmd.nameVariant() == null ? NameVariant.GIVEN_FAMILY : cmd.nameVariant(),
                        rights, used);
                maxDays = CODE_SIGNING_DAYS;
            }
            case ORGANISATION_CLIENT -> {
                sans = organisationEmails(names, domainsInScope);
                emailsInScope = sans.stream().map(e -> e.substring(6)).collect(java.util.stream.Collectors.toSet());
                cn = org.name();
                maxDays = ORGANISATION_CLIENT_DAYS;
            }
            case ORGANISATION_SERVER -> {
                sans = hosts(names, domainsInScope, ORGANISATION_RIGHTS, used);
                cn = sans.get(0).substring(4);
                maxDays = ORGANISATION_SERVER_DAYS;
            }
            default -> throw new IllegalStateException("unreachable");
        }
        CaId issuer = cmd.root() == null ? CaId.CLASS1 : cmd.root();
        if (issuer == CaId.CLASS3) {
            if (!rights.class3Root()) {
                throw refuse(IssuanceRefusalCode.CLASS3_NOT_PERMITTED, "The Class 3 root signs for Assured Members"
                        + " (50 points or more) only.");
            }
            used.add("class3Root");
        }
        int days = cmd.validityDays() == null ? maxDays : cmd.validityDays();
        if (days < 1) {
            throw refuse(IssuanceRefusalCode.VALIDITY_INVALID, "The validity must be at least one day.");
        }
        if (days > maxDays) {
            throw refuse(IssuanceRefusalCode.VALIDITY_TOO_LONG, "At most " + maxDays + " days for this member and"
                    + " kind; " + days + " were asked.");
        }
        RequestKey key = RequestKey.of(cmd.csrPem(), cmd.publicKeyPem());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // Backdated a minute for clocks slightly behind; the whole span stays within the maximum.
        Instant notBefore = now.minus(1, ChronoUnit.MINUTES);
        Instant notAfter = notBefore.plus(days, ChronoUnit.DAYS);
        X500Name subject = subjectBuilder.addRDN(BCStyle.CN, cn).build();
        BigInteger serial = serials.reserve(cmd.requestId(), member.id(), now);
        CertificateTemplate template = new CertificateTemplate(serial, cmd.kind(), issuer, subject, sans,
                key.publicKey(), notBefore, notAfter, digest);
        X509CertificateHolder tbs = template.toBeSigned(cas);
        List<String> problems = Linter.lint(tbs, new Linter.Context(cmd.kind(),
                X500Name.getInstance(cas.certificate(issuer).getSubjectX500Principal().getEncoded()),
                keyId(cas, issuer), maxDays, emailsInScope, domainsInScope,
                organisation || rights.wildcardServerCertificate(), organisation || rights.multipleSubjectAltNames()));
        if (!problems.isEmpty()) {
            throw refuse(IssuanceRefusalCode.LINT_FAILED, "The certificate would break the CA's rules, so it was not"
                    + " signed: " + String.join("; ", problems));
        }
        return new CertificateReserved(cmd.requestId(), member.id(), serial.toString(16), cmd.kind(), issuer,
                subject.toString(), sans, Base64.getEncoder().encodeToString(encoded(key.publicKey())), notBefore,
                notAfter, digest, List.copyOf(used), member.lastSequence(), organisation ? org.id() : null,
                CertificateTemplate.tbsSha256(tbs),
                now);
    }

    /** Signs exactly what was reserved; refuses to if the bytes would differ from what was linted. */
    public CertificateIssued sign(CertificateReserved r) {
        CertificateTemplate template = template(r);
        X509CertificateHolder signed = template.build(cas, cas.signer(r.issuer()).contentSigner(r.signatureHash()));
        if (!CertificateTemplate.tbsSha256(signed).equals(r.tbsSha256())) {
            throw new IllegalStateException("Certificate " + r.serial() + " would differ from what was reserved and"
                    + " linted; not issued.");
        }
        try {
            if (!signed.isSignatureValid(cas.signer(r.issuer()).verifier())) {
                throw new IllegalStateException("The CA's signature on " + r.serial() + " does not verify; not issued.");
            }
            byte[] der = signed.getEncoded();
            return new CertificateIssued(r.requestId(), r.memberId(), r.serial(), r.issuer(), Pem.certificate(der),
                    Pem.sha256Fingerprint(der), clock.instant());
        } catch (IOException | org.bouncycastle.cert.CertException e) {
            throw new IllegalStateException("Cannot finish certificate " + r.serial() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Which of {@code rights} the member no longer has, as of their latest ledger event; for an
     * organisation's certificate, organisationCertificates is lost when the member is no longer its
     * administrator or no longer an Assurer.
     */
    public List<String> rightsLost(List<String> rights, String memberId, String organisationId) {
        MemberView member = members.current(memberId);
        IssuanceRights now = member.standing().rights();
        boolean unusable = member.deleted() || member.locked();
        List<String> lost = new ArrayList<>();
        for (String right : rights) {
            boolean kept = right.equals("organisationCertificates") && organisationId != null
                    ? member.standing().assurer() && members.organisation(organisationId).adminIds().contains(memberId)
                    : has(now, right);
            if (unusable || !kept) {
                lost.add(right);
            }
        }
        return lost;
    }

    static boolean has(IssuanceRights rights, String right) {
        return switch (right) {
            case "clientCertificate" -> rights.clientCertificate();
            case "serverCertificate" -> rights.serverCertificate();
            case "nameInCertificate" -> rights.nameInCertificate();
            case "class3Root" -> rights.class3Root();
            case "multipleSubjectAltNames" -> rights.multipleSubjectAltNames();
            case "wildcardServerCertificate" -> rights.wildcardServerCertificate();
            case "openPgpKeySigning" -> rights.openPgpKeySigning();
            case "codeSigning" -> rights.codeSigning();
            case "organisationCertificates" -> rights.organisationCertificates();
            default -> throw new IllegalArgumentException("Unknown right " + right);
        };
    }

    private CertificateTemplate template(CertificateReserved r) {
        return new CertificateTemplate(new BigInteger(r.serial(), 16), r.kind(), r.issuer(),
                new X500Name(BCStyle.INSTANCE, r.subject()), r.subjectAltNames(),
                SubjectPublicKeyInfo.getInstance(Base64.getDecoder().decode(r.publicKey())), r.notBefore(),
                r.notAfter(), r.signatureHash());
    }

    private static List<String> organisationEmails(List<String> requested, Set<String> domains) {
        if (requested.isEmpty()) {
            throw refuse(IssuanceRefusalCode.NAMES_REQUIRED, "Name the email address(es) of the organisation for the"
                    + " certificate.");
        }
        List<String> wanted = requested.stream().map(Emails::normalise).distinct().toList();
        for (String email : wanted) {
            int at = email.lastIndexOf('@');
            String domain = at < 0 ? "" : email.substring(at + 1);
            if (at <= 0 || Domains.coveringDomain(domain, domains).isEmpty()) {
                throw refuse(IssuanceRefusalCode.EMAIL_NOT_VERIFIED, "'" + email + "' is not under a verified domain"
                        + " of the organisation.");
            }
        }
        return wanted.stream().map(e -> "email:" + e).toList();
    }

    private static List<String> emails(List<String> requested, MemberView member) {
        List<String> wanted = requested.isEmpty()
                ? Stream.of(member.primaryEmail()).filter(member.verifiedEmails()::contains).toList()
                : requested.stream().map(Emails::normalise).distinct().toList();
        if (wanted.isEmpty()) {
            throw refuse(IssuanceRefusalCode.NAMES_REQUIRED, "Name at least one verified email address.");
        }
        for (String email : wanted) {
            if (!member.verifiedEmails().contains(email)) {
                throw refuse(IssuanceRefusalCode.EMAIL_NOT_VERIFIED, "'" + email + "' is not a verified address of"
                        + " this member.");
            }
        }
        return wanted.stream().map(e -> "email:" + e).toList();
    }

    private static List<String> hosts(List<String> requested, Set<String> verifiedDomains, IssuanceRights rights,
                                      Set<String> used) {
        if (requested.isEmpty()) {
            throw refuse(IssuanceRefusalCode.NAMES_REQUIRED, "Name the host(s) the server certificate is for.");
        }
        List<String> hosts = new ArrayList<>();
        for (String name : requested) {
            String host = Domains.normaliseHost(name, true).orElseThrow(() -> refuse(
                    IssuanceRefusalCode.HOST_NAME_INVALID, "'" + name + "' is not a valid host name."));
            if (host.startsWith("*.")) {
                if (!rights.wildcardServerCertificate()) {
                    throw refuse(IssuanceRefusalCode.WILDCARD_NOT_PERMITTED, "Wildcard names are for Assured Members"
                            + " only.");
                }
                used.add("wildcardServerCertificate");
            }
            if (Domains.coveringDomain(host, verifiedDomains).isEmpty()) {
                throw refuse(IssuanceRefusalCode.HOST_NOT_IN_VERIFIED_DOMAIN, "'" + host + "' is not under a verified"
                        + " domain of the " + (rights == ORGANISATION_RIGHTS ? "organisation." : "member."));
            }
            if (!hosts.contains(host)) {
                hosts.add(host);
            }
        }
        if (hosts.size() > 1) {
            if (!rights.multipleSubjectAltNames()) {
                throw refuse(IssuanceRefusalCode.TOO_MANY_NAMES, "One host name per certificate below Assured Member.");
            }
            used.add("multipleSubjectAltNames");
        }
        return hosts.stream().map(h -> "dns:" + h).toList();
    }

    private static String personalName(MemberView member, NameVariant variant, IssuanceRights rights,
                                       Set<String> used) {
        if (!rights.nameInCertificate()) {
            throw refuse(IssuanceRefusalCode.NAME_IN_CERTIFICATE_NOT_PERMITTED, "A name appears in certificates of"
                    + " Assured Members (50 points or more) only.");
        }
        used.add("nameInCertificate");
        String name = variant(member.name(), variant);
        if (name.length() > 64) {
            throw refuse(IssuanceRefusalCode.NAME_IN_CERTIFICATE_NOT_PERMITTED, "This name variant has more than 64"
                    + " characters, the most a CN holds; choose a shorter variant.");
        }
        return name;
    }

    /** One form of a verified name (DOMAIN.md section 7), or a refusal when the name lacks the part it needs. */
    static String variant(PersonName n, NameVariant variant) {
        return switch (variant) {
            case GIVEN_FAMILY -> join(n.givenNames(), n.familyName());
            case GIVEN_MIDDLE_FAMILY -> join(n.givenNames(), required(n.middleName(), "middle name"), n.familyName());
            case GIVEN_FAMILY_SUFFIX -> join(n.givenNames(), n.familyName(), required(n.suffix(), "suffix"));
            case FULL -> join(n.givenNames(), n.middleName(), n.familyName(), n.suffix());
        };
    }

    /** Every form of the name the member may use: given+family, with middle, with suffix, all. */
    public static Set<String> nameVariants(PersonName n) {
        Set<String> variants = new LinkedHashSet<>();
        for (NameVariant v : NameVariant.values()) {
            try {
                variants.add(variant(n, v));
            } catch (IssuanceRefusal noSuchPart) {
                // the name has no middle name or suffix for this form
            }
        }
        return variants;
    }

    private static String required(String part, String what) {
        if (part == null || part.isBlank()) {
            throw refuse(IssuanceRefusalCode.NAME_IN_CERTIFICATE_NOT_PERMITTED, "The member's verified name has no "
                    + what + " for this name variant.");
        }
        return part;
    }

    private static String join(String... parts) {
        return String.join(" ", Stream.of(parts).filter(p -> p != null && !p.isBlank()).toList());
    }

    private static String digest(String hash) {
        if (hash == null || hash.isBlank()) {
            return "SHA256";
        }
        String d = hash.strip().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (!DIGESTS.contains(d)) {
            throw refuse(IssuanceRefusalCode.SIGNATURE_HASH_UNSUPPORTED, "Signature hash '" + hash + "' is not offered:"
                    + " use SHA256 (default), SHA384 or SHA512.");
        }
        return d;
    }

    private static byte[] keyId(CaHierarchy cas, CaId issuer) {
        return new BcX509ExtensionUtils().createSubjectKeyIdentifier(
                SubjectPublicKeyInfo.getInstance(cas.signer(issuer).publicKey().getEncoded())).getKeyIdentifier();
    }

    private static byte[] encoded(SubjectPublicKeyInfo info) {
        try {
            return info.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IssuanceRefusal refuse(IssuanceRefusalCode code, String message) {
        return new IssuanceRefusal(code, message);
    }
}
