package org.trustledger.ledger.organisation;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.OrganisationAdminChanged;
import org.trustledger.ledger.api.OrganisationAssured;
import org.trustledger.ledger.api.OrganisationDomainControlRequested;
import org.trustledger.ledger.api.OrganisationDomainVerified;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.member.DomainRegistry;

/**
 * An organisation assured by an Organisation Assurer (DOMAIN.md section 7): its certificate subject
 * (O, C, ST, L), its administrators and the domains it has proven control of. Decisions that need the
 * members involved are made by {@link OrganisationHandler}.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Organisation {

    @AggregateIdentifier
    private String organisationId;
    private Set<String> admins = new HashSet<>();
    private Set<String> verifiedDomains = new HashSet<>();
    /** Domain to the nonce and approver address of its pending token, and when it expires. */
    private Map<String, String[]> pendingDomains = new HashMap<>();

    protected Organisation() {
        // for Axon
    }

    /** Events applied while an aggregate is created are handled after it returns: ids come from the event. */
    Organisation(OrganisationAssured assured, java.util.List<String> adminIds) {
        apply(assured);
        for (String admin : adminIds) {
            apply(new OrganisationAdminChanged(assured.organisationId(), admin, true, assured.assuredBy(),
                    assured.assuredAt()));
        }
    }

    boolean isAdmin(String memberId) {
        return admins.contains(memberId);
    }

    void changeAdmin(String memberId, boolean admin, String by, Instant now) {
        if (admin == admins.contains(memberId)) {
            throw new LedgerRefusal(RefusalCode.ORGANISATION_DETAILS_INVALID, "The member is " + (admin ? "already" : "not")
                    + " an administrator of this organisation.");
        }
        if (!admin && admins.size() == 1) {
            throw new LedgerRefusal(RefusalCode.ORGANISATION_DETAILS_INVALID,
                    "An organisation keeps at least one administrator: appoint another first.");
        }
        apply(new OrganisationAdminChanged(organisationId, memberId, admin, by, now));
    }

    void requestDomain(String domain, String approverEmail, String nonce, String by, Instant now, Instant expires) {
        if (verifiedDomains.contains(domain)) {
            throw new LedgerRefusal(RefusalCode.DOMAIN_ALREADY_VERIFIED, "The domain " + domain
                    + " is already verified for this organisation.");
        }
        apply(new OrganisationDomainControlRequested(organisationId, domain, approverEmail, nonce, by, now, expires));
    }

    void verifyDomain(String domain, String nonce, DomainRegistry domains, Instant now) {
        String[] pending = pendingDomains.get(domain);
        if (verifiedDomains.contains(domain)) {
            throw new LedgerRefusal(RefusalCode.DOMAIN_ALREADY_VERIFIED, "The domain " + domain + " is already verified.");
        }
        if (pending == null || !pending[0].equals(nonce)) {
            throw new LedgerRefusal(RefusalCode.TOKEN_INVALID, "This token is not valid: a newer one replaced it.");
        }
        if (now.isAfter(Instant.parse(pending[2]))) {
            throw new LedgerRefusal(RefusalCode.TOKEN_EXPIRED,
                    "This token expired: domains must be verified within 48 hours. Add the domain again.");
        }
        domains.claim(domain, organisationId);
        CurrentUnitOfWork.ifStarted(uow -> uow.onRollback(u -> domains.release(domain, organisationId)));
        apply(new OrganisationDomainVerified(organisationId, domain, pending[1], now));
    }

    @EventSourcingHandler
    void on(OrganisationAssured e) {
        organisationId = e.organisationId();
    }

    @EventSourcingHandler
    void on(OrganisationAdminChanged e) {
        if (e.admin()) {
            admins.add(e.memberId());
        } else {
            admins.remove(e.memberId());
        }
    }

    @EventSourcingHandler
    void on(OrganisationDomainControlRequested e) {
        pendingDomains.put(e.domain(), new String[] {e.nonce(), e.approverEmail(), e.expiresAt().toString()});
    }

    @EventSourcingHandler
    void on(OrganisationDomainVerified e) {
        pendingDomains.remove(e.domain());
        verifiedDomains.add(e.domain());
    }
}
