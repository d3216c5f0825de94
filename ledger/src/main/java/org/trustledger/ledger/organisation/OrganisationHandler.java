package org.trustledger.ledger.organisation;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.trustledger.ledger.api.AddOrganisationDomainCommand;
import org.trustledger.ledger.api.AssureOrganisationCommand;
import org.trustledger.ledger.api.ChangeOrganisationAdminCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.OrganisationAssured;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.VerifyOrganisationDomainCommand;
import org.trustledger.ledger.member.DomainRegistry;
import org.trustledger.ledger.member.EmailRegistry;
import org.trustledger.ledger.member.EmailTokens;
import org.trustledger.ledger.member.Member;
import org.trustledger.ledger.member.Members;
import org.trustledger.ledger.rules.Domains;

/**
 * Organisation assurance (DOMAIN.md sections 5 and 7): only an Organisation Assurer records an
 * organisation and changes its administrators, who must be Assurers; an administrator proves the
 * organisation's domains by a mailed token, like a member's.
 */
public class OrganisationHandler {

    /** Prefix under which organisation domain token nonces share the email nonce register. */
    public static final String NONCE_SUBJECT = "organisation-domain:";
    static final int MAX_FIELD = 64;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final Repository<Organisation> organisations;
    private final Repository<Member> members;
    private final EmailRegistry nonces;
    private final DomainRegistry domains;
    private final EmailTokens tokens;
    private final Clock clock;

    public OrganisationHandler(Repository<Organisation> organisations, Repository<Member> members, EmailRegistry nonces,
                               DomainRegistry domains, EmailTokens tokens, Clock clock) {
        this.organisations = organisations;
        this.members = members;
        this.nonces = nonces;
        this.domains = domains;
        this.tokens = tokens;
        this.clock = clock;
    }

    @CommandHandler
    public String handle(AssureOrganisationCommand cmd) throws Exception {
        Instant now = clock.instant();
        requireOrganisationAssurer(cmd.assurerId());
        String name = field(cmd.name(), "name (O)", true);
        String country = cmd.country() == null ? "" : cmd.country().strip().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(country)) {
            throw invalid("The country (C) must be an ISO 3166 two-letter code such as DE or AU.");
        }
        String state = field(cmd.state(), "state or province (ST)", false);
        String locality = field(cmd.locality(), "locality (L)", true);
        List<String> admins = cmd.adminIds() == null ? List.of() : List.copyOf(new LinkedHashSet<>(cmd.adminIds()));
        if (admins.isEmpty()) {
            throw invalid("An organisation needs at least one administrator (an Assurer).");
        }
        admins.forEach(this::requireAssurer);
        organisations.newInstance(() -> new Organisation(new OrganisationAssured(cmd.organisationId(), name, country,
                state, locality, cmd.assurerId(), now), admins));
        return cmd.organisationId();
    }

    @CommandHandler
    public void handle(ChangeOrganisationAdminCommand cmd) {
        requireOrganisationAssurer(cmd.changedBy());
        if (cmd.admin()) {
            requireAssurer(cmd.memberId());
        }
        organisation(cmd.organisationId()).execute(o -> o.changeAdmin(cmd.memberId(), cmd.admin(), cmd.changedBy(),
                clock.instant()));
    }

    @CommandHandler
    public void handle(AddOrganisationDomainCommand cmd) {
        Aggregate<Organisation> org = organisation(cmd.organisationId());
        if (!org.invoke(o -> o.isAdmin(cmd.requestedBy()))) {
            throw new LedgerRefusal(RefusalCode.NOT_AUTHORISED, "Only an administrator of the organisation may add"
                    + " its domains.");
        }
        String domain = Domains.normaliseDomain(cmd.domain()).orElseThrow(() -> new LedgerRefusal(
                RefusalCode.DOMAIN_INVALID, "'" + cmd.domain() + "' is not a valid domain name."));
        String approver = cmd.approver() == null ? "" : cmd.approver().strip().toLowerCase(Locale.ROOT);
        if (!Domains.APPROVERS.contains(approver)) {
            throw new LedgerRefusal(RefusalCode.DOMAIN_APPROVER_INVALID,
                    "The token can only go to root@, hostmaster@, postmaster@, admin@ or webmaster@ the domain.");
        }
        if (domains.holder(domain).filter(h -> !h.equals(cmd.organisationId())).isPresent()) {
            throw new LedgerRefusal(RefusalCode.DOMAIN_TAKEN, "The domain " + domain
                    + " is already verified by another account.");
        }
        Instant now = clock.instant();
        String nonce = tokens.newNonce();
        nonces.rememberNonce(nonce, cmd.organisationId(), NONCE_SUBJECT + domain);
        org.execute(o -> o.requestDomain(domain, approver + "@" + domain, nonce, cmd.requestedBy(), now,
                now.plus(EmailRegistry.VERIFICATION_WINDOW)));
    }

    @CommandHandler
    public String handle(VerifyOrganisationDomainCommand cmd) {
        LedgerRefusal invalid = new LedgerRefusal(RefusalCode.TOKEN_INVALID, "This domain token is not valid.");
        EmailTokens.Issued issued = tokens.resolve(cmd.token(), nonces, NONCE_SUBJECT).orElseThrow(() -> invalid);
        organisation(issued.ownerId()).execute(o -> o.verifyDomain(issued.subject(), issued.nonce(), domains,
                clock.instant()));
        return issued.ownerId();
    }

    private Aggregate<Organisation> organisation(String id) {
        try {
            if (id == null) {
                throw new AggregateNotFoundException(null, "no id");
            }
            return organisations.load(id);
        } catch (AggregateNotFoundException | org.axonframework.eventsourcing.IncompatibleAggregateException e) {
            throw new LedgerRefusal(RefusalCode.ORGANISATION_NOT_FOUND, "No organisation with this id exists.");
        }
    }

    private void requireOrganisationAssurer(String memberId) {
        boolean ok = Members.load(members, memberId, () -> new LedgerRefusal(RefusalCode.NOT_AUTHORISED,
                "Only an Organisation Assurer may do this.")).invoke(m -> m.hasRole(Role.ORGANISATION_ASSURER));
        if (!ok) {
            throw new LedgerRefusal(RefusalCode.NOT_AUTHORISED, "Only an Organisation Assurer may do this.");
        }
    }

    private void requireAssurer(String memberId) {
        LocalDate today = LocalDate.now(clock);
        boolean assurer = Members.load(members, memberId, () -> new LedgerRefusal(RefusalCode.MEMBER_NOT_FOUND,
                "No member " + memberId + " exists.")).invoke(m -> m.standingOn(today).assurer());
        if (!assurer) {
            throw new LedgerRefusal(RefusalCode.ORGANISATION_ADMIN_NOT_ASSURER, "An organisation's administrator must"
                    + " be an Assurer; member " + memberId + " is not.");
        }
    }

    private static String field(String value, String what, boolean required) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            if (required) {
                throw invalid("The organisation's " + what + " is required.");
            }
            return null;
        }
        if (v.length() > MAX_FIELD || v.chars().anyMatch(Character::isISOControl)) {
            throw invalid("The organisation's " + what + " has at most " + MAX_FIELD + " printable characters.");
        }
        return v;
    }

    private static LedgerRefusal invalid(String message) {
        return new LedgerRefusal(RefusalCode.ORGANISATION_DETAILS_INVALID, message);
    }
}
