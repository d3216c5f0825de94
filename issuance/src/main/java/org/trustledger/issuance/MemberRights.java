package org.trustledger.issuance;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.trustledger.issuance.api.IssuanceRefusal;
import org.trustledger.issuance.api.IssuanceRefusalCode;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.MemberView;
import org.trustledger.query.OrganisationProjection;
import org.trustledger.query.OrganisationView;
import org.trustledger.query.MemberProjection;
import org.trustledger.query.ProjectionProgress;

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
    private final ProjectionProgress progress;

    /**
     * With {@code hasEvent}, the check reads the member's view first and asks the store only whether an
     * event follows the last one the view has seen: two lookups when the view is current, instead of
     * finding the stream's last sequence number by probing (a dozen lookups for a member with a few dozen
     * events) and then reading the view.
     */
    public MemberRights(EventStore eventStore, MemberReadModel readModel, OrganisationProjection organisations,
                        Duration wait, BiPredicate<String, Long> hasEvent, ProjectionProgress progress) {
        this.progress = progress;
        this.eventStore = eventStore;
        this.readModel = readModel;
        this.organisations = organisations;
        this.wait = wait;
        this.hasEvent = hasEvent;
    }

    /** The view of a member as the rights check last read it, and the day its standing was derived for. */
    private record Seen(MemberView view, LocalDate day) {
    }

    static final int MAX_VIEWS = 50_000;
    private final Map<String, Seen> views = new ConcurrentHashMap<>();
    private Function<String, OptionalLong> knownLast;
    private Clock clock;

    /**
     * Where the event store knows an aggregate's last sequence number without a lookup ({@code knownLast}:
     * the embedded default, whose store has no other writer), the check answers from memory: when this
     * JVM's members processor has applied that event and the view read last time is at it, for the same
     * day (a standing depends on the date: ages, expiries), the view is current. Otherwise it reads the
     * view once and keeps it.
     */
    public MemberRights withKnownLast(Function<String, OptionalLong> knownLast, Clock clock) {
        this.knownLast = knownLast;
        this.clock = clock;
        return this;
    }

    private Optional<MemberView> fromMemory(String memberId) {
        OptionalLong last = knownLast.apply(memberId);
        if (last.isEmpty() || progress.applied(MemberProjection.PROCESSING_GROUP, memberId) < last.getAsLong()) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.now(clock);
        Seen seen = views.get(memberId);
        if (seen != null && seen.view().lastSequence() == last.getAsLong() && seen.day().equals(today)) {
            return Optional.of(seen.view());
        }
        Optional<MemberView> view = readModel.member(memberId);
        if (view.isEmpty() || view.get().lastSequence() < last.getAsLong()) {
            return Optional.empty();
        }
        if (views.size() >= MAX_VIEWS) {
            views.clear(); // bounded: a shortcut only
        }
        views.put(memberId, new Seen(view.get(), today));
        return view;
    }

    /** The organisation as of its latest ledger event (waits for the projection likewise). */
    public OrganisationView organisation(String organisationId) {
        long target = organisationId == null ? -1 : eventStore.lastSequenceNumberFor(organisationId).orElse(-1L);
        if (target < 0) {
            throw new IssuanceRefusal(IssuanceRefusalCode.ORGANISATION_NOT_FOUND, "No organisation with this id exists.");
        }
        progress.await(eventStore, MemberProjection.PROCESSING_GROUP, organisationId, organisations::lastSequence, wait);
        return organisations.organisation(organisationId).orElseThrow(() -> new IssuanceRefusal(
                IssuanceRefusalCode.ORGANISATION_NOT_FOUND, "No organisation with this id exists."));
    }

    /** The member as of their latest ledger event (waits for the projection, up to the configured time). */
    public MemberView current(String memberId) {
        if (memberId != null && knownLast != null) {
            Optional<MemberView> current = fromMemory(memberId);
            if (current.isPresent()) {
                return current.get();
            }
        }
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
        progress.await(eventStore, MemberProjection.PROCESSING_GROUP, memberId, readModel::lastSequence, wait);
        return readModel.member(memberId).orElseThrow(() -> new IssuanceRefusal(IssuanceRefusalCode.MEMBER_NOT_FOUND,
                "No member with this id exists."));
    }
}
