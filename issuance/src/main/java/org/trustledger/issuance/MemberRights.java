package org.trustledger.issuance;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.IssuanceRefusalCode;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.MemberView;
import org.trustledger.query.OrganisationProjection;
import org.trustledger.query.OrganisationView;
import org.trustledger.query.Catchup;

/**
 * A member's rights as the projections derive them, never from a read model that has not yet seen the
 * member's latest ledger event: a voiding recorded a moment before a certificate request wins.
 */
public class MemberRights {

    private final EventStore eventStore;
    private final MemberReadModel readModel;
    private final OrganisationProjection organisations;
    private final Duration wait;
    /** Whether the store holds the aggregate's event at a sequence number (one exact-key lookup), or null. */
    private final BiPredicate<String, Long> hasEvent;

    public MemberRights(EventStore eventStore, MemberReadModel readModel, OrganisationProjection organisations,
                        Duration wait) {
        this(eventStore, readModel, organisations, wait, null);
    }

    /**
     * With {@code hasEvent}, the check reads the member's view first and asks the store only whether an
     * event follows the last one the view has seen: two lookups when the view is current, instead of
     * finding the stream's last sequence number by probing (a dozen lookups for a member with a few dozen
     * events) and then reading the view.
     */
    public MemberRights(EventStore eventStore, MemberReadModel readModel, OrganisationProjection organisations,
                        Duration wait, BiPredicate<String, Long> hasEvent) {
        this.eventStore = eventStore;
        this.readModel = readModel;
        this.organisations = organisations;
        this.wait = wait;
        this.hasEvent = hasEvent;
    }

    /** The organisation as of its latest ledger event (waits for the projection likewise). */
    public OrganisationView organisation(String organisationId) {
        long target = organisationId == null ? -1 : eventStore.lastSequenceNumberFor(organisationId).orElse(-1L);
        if (target < 0) {
            throw new IssuanceRefusal(IssuanceRefusalCode.ORGANISATION_NOT_FOUND, "No organisation with this id exists.");
        }
        Catchup.await(eventStore, organisationId, organisations::lastSequence, wait);
        return organisations.organisation(organisationId).orElseThrow(() -> new IssuanceRefusal(
                IssuanceRefusalCode.ORGANISATION_NOT_FOUND, "No organisation with this id exists."));
    }

    /** The member as of their latest ledger event (waits for the projection, up to the configured time). */
    public MemberView current(String memberId) {
        if (memberId != null && hasEvent != null) {
            Optional<MemberView> view = readModel.member(memberId);
            // A member's sequence numbers have no holes: no event after the view's last means none is newer.
            if (view.isPresent() && !hasEvent.test(memberId, view.get().lastSequence() + 1)) {
                return view.get();
            }
        }
        long target = memberId == null ? -1 : eventStore.lastSequenceNumberFor(memberId).orElse(-1L);
        if (target < 0) {
            throw new IssuanceRefusal(IssuanceRefusalCode.MEMBER_NOT_FOUND, "No member with this id exists.");
        }
        Catchup.await(eventStore, memberId, readModel::lastSequence, wait);
        return readModel.member(memberId).orElseThrow(() -> new IssuanceRefusal(IssuanceRefusalCode.MEMBER_NOT_FOUND,
                "No member with this id exists."));
    }
}
