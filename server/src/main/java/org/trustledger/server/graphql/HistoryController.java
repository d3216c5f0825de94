package org.trustledger.server.graphql;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.ledger.rules.Standing;
import org.trustledger.ledger.rules.Timeline;
import org.trustledger.query.MemberHistory;
import org.trustledger.query.MemberReadModel;
import org.trustledger.query.MemberView;
import org.trustledger.server.rebuild.ProjectionRebuild;
import org.trustledger.server.security.Caller;
import org.trustledger.server.security.Privacy;

/** History for arbitrators and the projection rebuild. */
@Controller
public class HistoryController {

    private final MemberHistory history;
    private final MemberReadModel members;
    private final ProjectionRebuild rebuild;
    private final CertificateRegister certificates;
    private final Clock clock;
    private final Privacy privacy;

    public HistoryController(MemberHistory history, MemberReadModel members, ProjectionRebuild rebuild,
                             CertificateRegister certificates, Clock clock, Privacy privacy) {
        this.history = history;
        this.members = members;
        this.rebuild = rebuild;
        this.certificates = certificates;
        this.clock = clock;
        this.privacy = privacy;
    }

    /**
     * A member's history is theirs, support's, and an arbitrator's only in a case the member is a party to
     * (the access rule lets arbitrators through; which members are theirs is decided here).
     */
    private void mayRead(Caller caller, String memberId) {
        if (!privacy.maySeePrivate(caller, memberId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A member's history is visible to the member, support and"
                    + " an arbitrator of a case the member is a party to.");
        }
    }

    record PointsAsOf(String memberId, Instant at, Timeline.View view, Types.Points points, Object status,
                      Object rights) {
    }

    record HistoryEntry(Instant at, String event, String description, String causedBy, String caseId, boolean ruling,
                        Types.Points points, Object status) {
    }

    record PartyImpact(String memberId, Types.Points pointsBefore, Types.Points pointsAfter, Object statusBefore,
                       Object statusAfter, List<String> rightsLost) {
    }

    record VoidingImpact(Object assurance, PartyImpact assuree, PartyImpact assurer,
                         List<String> membersWhoseStatusChangesIds, List<String> certificatesLosingBacking) {
    }

    @QueryMapping
    public PointsAsOf pointsAsOf(@Argument String memberId, @Argument Instant at, @Argument Timeline.View view,
                                 @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        mayRead(caller, memberId);
        return history.pointsAsOf(memberId, at, view)
                .map(s -> new PointsAsOf(memberId, at, view, points(s), s.status(), s.rights())).orElse(null);
    }

    @QueryMapping
    public List<HistoryEntry> memberHistory(@Argument String memberId,
                                            @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        mayRead(caller, memberId);
        return history.history(memberId).stream().map(step -> new HistoryEntry(step.stored().entry().at(),
                step.stored().event(), step.stored().description(), step.stored().causedBy(), step.stored().caseId(),
                step.stored().entry().ruling(), points(step.after()), step.after().status())).toList();
    }

    @QueryMapping
    public VoidingImpact voidingImpact(@Argument String assuranceId,
                                       @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        java.util.Optional<org.trustledger.query.AssuranceView> assurance = members.assurance(assuranceId);
        assurance.ifPresent(a -> {
            if (!privacy.maySeePrivate(caller, a.assureeId()) && !privacy.maySeePrivate(caller, a.assurerId())) {
                throw new ApiException(ErrorCode.FORBIDDEN, "The impact of voiding an assurance is visible to support"
                        + " and an arbitrator of a case its assuree or assurer is a party to.");
            }
        });
        return assurance.map(history::voidingImpact).map(i -> {
            List<String> changed = new ArrayList<>();
            for (MemberHistory.PartyImpact p : List.of(i.assuree(), i.assurer())) {
                if (p.statusChanges()) {
                    changed.add(p.memberId());
                }
            }
            List<String> losing = new ArrayList<>();
            for (MemberHistory.PartyImpact p : List.of(i.assuree(), i.assurer())) {
                losing.addAll(certificates.certificatesRelyingOn(p.memberId(), p.rightsLost(), clock.instant()));
            }
            return new VoidingImpact(i.assurance(), party(i.assuree()), party(i.assurer()), changed, losing);
        }).orElse(null);
    }

    @SchemaMapping(typeName = "VoidingImpact")
    public List<MemberView> membersWhoseStatusChanges(VoidingImpact impact) {
        return new ArrayList<>(members.members(impact.membersWhoseStatusChangesIds()).values());
    }

    @SchemaMapping(typeName = "PartyImpact")
    public MemberView member(PartyImpact impact) {
        return members.member(impact.memberId()).orElse(null);
    }

    @QueryMapping
    public List<ProjectionRebuild.Status> projectionStatus() {
        return rebuild.status();
    }

    @MutationMapping
    public List<ProjectionRebuild.Status> rebuildProjections() {
        return rebuild.rebuild();
    }

    private static PartyImpact party(MemberHistory.PartyImpact p) {
        return new PartyImpact(p.memberId(), points(p.before()), points(p.after()), p.before().status(),
                p.after().status(), p.rightsLost());
    }

    static Types.Points points(Standing s) {
        return new Types.Points(s.assurancePoints(), s.experiencePoints(), s.total(), s.maxAssurancePoints());
    }
}
