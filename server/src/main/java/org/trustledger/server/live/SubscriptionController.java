package org.trustledger.server.live;

import java.util.List;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.ledger.api.Role;
import org.trustledger.query.MemberReadModel;
import org.trustledger.server.graphql.ApiException;
import org.trustledger.server.graphql.ErrorCode;
import org.trustledger.server.graphql.ReadModelSync;
import org.trustledger.server.graphql.Types;
import org.trustledger.server.security.Caller;
import org.trustledger.server.security.GraphQlAccess;
import org.trustledger.server.security.Privacy;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * GraphQL subscriptions (graphql-transport-ws at {@code /graphql-ws}): the ledger's events as they
 * are recorded, and a member's points after each change. Members see their own; support and
 * arbitrators see all.
 */
@Controller
public class SubscriptionController {

    private final LiveLedger live;
    private final MemberReadModel members;
    private final ReadModelSync sync;
    private final Privacy privacy;
    private final GraphQlAccess access;

    public SubscriptionController(LiveLedger live, MemberReadModel members, ReadModelSync sync, Privacy privacy,
                                  GraphQlAccess access) {
        this.access = access;
        this.live = live;
        this.members = members;
        this.sync = sync;
        this.privacy = privacy;
    }

    @SubscriptionMapping
    public Flux<LiveLedger.LiveEvent> ledgerEvents(@Argument List<String> types,
                                                   @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        boolean all = caller.support() || caller.has(Role.ARBITRATOR);
        return whileUsable(live.events(), caller)
                .filter(e -> all || caller.is(e.aggregateId()))
                .filter(e -> types == null || types.isEmpty() || types.contains(e.type()));
    }

    /**
     * Ends a subscription with UNAUTHENTICATED once its member may no longer act (an account locked or
     * deleted by a ruling): asked of the ledger at the first event and then at most once a second.
     */
    private Flux<LiveLedger.LiveEvent> whileUsable(Flux<LiveLedger.LiveEvent> events, Caller caller) {
        java.util.concurrent.atomic.AtomicLong checked = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
        // Off the live feed's own thread: the check may ask the ledger.
        return events.publishOn(Schedulers.boundedElastic()).handle((e, sink) -> {
            long now = System.nanoTime();
            long last = checked.get();
            if ((last == Long.MIN_VALUE || now - last > 1_000_000_000L) && checked.compareAndSet(last, now)
                    && !access.standing(caller.memberId()).authenticated()) {
                sink.error(new ApiException(ErrorCode.UNAUTHENTICATED, "This account can no longer act (locked or"
                        + " deleted); the subscription has ended."));
                return;
            }
            sink.next(e);
        });
    }

    @SubscriptionMapping
    public Flux<Types.Points> pointsChanged(@Argument String memberId,
                                            @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        if (!privacy.maySeePrivate(caller, memberId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Points are visible to the member, support and their"
                    + " arbitrator only.");
        }
        return whileUsable(live.events(), caller)
                .filter(e -> e.aggregateId().equals(memberId) && e.aggregateType().equals("Member"))
                .publishOn(Schedulers.boundedElastic())
                .concatMap(e -> {
                    sync.awaitMember(memberId);
                    return Flux.fromIterable(members.member(memberId).map(m -> List.of(new Types.Points(
                            m.standing().assurancePoints(), m.standing().experiencePoints(), m.standing().total(),
                            m.standing().maxAssurancePoints()))).orElse(List.of()));
                })
                .distinctUntilChanged();
    }
}
