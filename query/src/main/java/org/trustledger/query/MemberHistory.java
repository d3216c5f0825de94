package org.trustledger.query;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.trustledger.ledger.rules.IssuanceRights;
import org.trustledger.ledger.rules.PointsRules;
import org.trustledger.ledger.rules.Standing;
import org.trustledger.ledger.rules.Timeline;
import org.trustledger.ledger.rules.TimelineEntry;

/**
 * History for arbitrators: points as of any instant in both views, the member's history with the
 * standing after each step, and what voiding an assurance would change, before anyone rules.
 */
public class MemberHistory {

    private final TimelineProjection timelines;
    private final MemberReadModel members;
    private final Clock clock;

    public MemberHistory(TimelineProjection timelines, MemberReadModel members, Clock clock) {
        this.timelines = timelines;
        this.members = members;
        this.clock = clock;
    }

    /** The member's standing at {@code at}; empty when the member did not exist yet (or at all). */
    public Optional<Standing> pointsAsOf(String memberId, Instant at, Timeline.View view) {
        List<TimelineEntry> entries = entries(memberId);
        if (entries.isEmpty() || entries.get(0).at().isAfter(at)) {
            return Optional.empty();
        }
        return Optional.of(Timeline.standingAsOf(entries, at, view));
    }

    /** One step of a member's history with the standing it left. */
    public record Step(TimelineProjection.Stored stored, Standing after) {
    }

    public List<Step> history(String memberId) {
        List<TimelineProjection.Stored> stored = timelines.history(memberId);
        List<Step> steps = new ArrayList<>(stored.size());
        List<TimelineEntry> prefix = new ArrayList<>();
        for (TimelineProjection.Stored s : stored) {
            prefix.add(s.entry());
            Standing after = PointsRules.standing(Timeline.fold(prefix), LocalDate.ofInstant(s.entry().at(), ZoneOffset.UTC));
            steps.add(new Step(s, after));
        }
        return steps;
    }

    /** One party's standing now and if the assurance were voided, and the rights it would lose. */
    public record PartyImpact(String memberId, Standing before, Standing after, List<String> rightsLost) {
        public boolean statusChanges() {
            return before.status() != after.status();
        }
    }

    /** What voiding would change for both parties; empty when there is no such assurance. */
    public record VoidingImpact(AssuranceView assurance, PartyImpact assuree, PartyImpact assurer) {
    }

    /** What voiding this assurance would change for both parties. */
    public VoidingImpact voidingImpact(AssuranceView a) {
        return new VoidingImpact(a, impact(a.assureeId(), a.id()), impact(a.assurerId(), a.id()));
    }

    private PartyImpact impact(String memberId, String assuranceId) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<TimelineEntry> entries = entries(memberId);
        List<TimelineEntry> voided = new ArrayList<>(entries);
        voided.add(new TimelineEntry(TimelineEntry.Change.VOIDED, now, true, assuranceId, 0, false, 0, 0, false, null));
        Standing before = PointsRules.standing(Timeline.fold(entries), today);
        Standing after = PointsRules.standing(Timeline.fold(voided), today);
        return new PartyImpact(memberId, before, after, rightsLost(before.rights(), after.rights()));
    }

    static List<String> rightsLost(IssuanceRights before, IssuanceRights after) {
        List<String> lost = new ArrayList<>();
        lose(lost, "clientCertificate", before.clientCertificate(), after.clientCertificate());
        lose(lost, "serverCertificate", before.serverCertificate(), after.serverCertificate());
        lose(lost, "nameInCertificate", before.nameInCertificate(), after.nameInCertificate());
        lose(lost, "class3Root", before.class3Root(), after.class3Root());
        lose(lost, "multipleSubjectAltNames", before.multipleSubjectAltNames(), after.multipleSubjectAltNames());
        lose(lost, "wildcardServerCertificate", before.wildcardServerCertificate(), after.wildcardServerCertificate());
        lose(lost, "openPgpKeySigning", before.openPgpKeySigning(), after.openPgpKeySigning());
        lose(lost, "codeSigning", before.codeSigning(), after.codeSigning());
        lose(lost, "organisationCertificates", before.organisationCertificates(), after.organisationCertificates());
        if (after.maxValidityDays() < before.maxValidityDays()) {
            lost.add("maxValidityDays " + before.maxValidityDays() + " -> " + after.maxValidityDays());
        }
        return lost;
    }

    private static void lose(List<String> lost, String name, boolean before, boolean after) {
        if (before && !after) {
            lost.add(name);
        }
    }

    private List<TimelineEntry> entries(String memberId) {
        return timelines.history(memberId).stream().map(TimelineProjection.Stored::entry).toList();
    }
}
