package org.trustledger.server.graph;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.trustledger.ledger.api.MemberStatus;
import org.trustledger.ledger.rules.Timeline;
import org.trustledger.query.graph.Pseudonyms;
import org.trustledger.query.graph.TrustGraphReader;
import org.trustledger.query.graph.TrustGraphReader.Edge;
import org.trustledger.server.graphql.ApiException;
import org.trustledger.server.graphql.ErrorCode;
import org.trustledger.server.graphql.Pages;
import org.trustledger.server.graphql.Types;
import org.trustledger.server.security.Caller;
import org.trustledger.server.security.Privacy;

/**
 * The web of trust over GraphQL: a neighbourhood or the whole graph, now or as of an instant, edges
 * paged, with statistics and shortest assurance paths. Members appear under a stable pseudonym unless
 * the caller may see them (themselves, support, their arbitrator); an edge's points only to those who may
 * see the assuree's points, and to its assurer.
 */
@Controller
public class TrustGraphController {

    static final int MAX_DEPTH = 4;
    private final TrustGraphReader reader;
    private final Pseudonyms pseudonyms;
    private final Privacy privacy;

    public TrustGraphController(TrustGraphReader reader, Pseudonyms pseudonyms, Privacy privacy) {
        this.reader = reader;
        this.pseudonyms = pseudonyms;
        this.privacy = privacy;
    }

    /** A graph node as the caller may see it. */
    public record GraphNode(String id, boolean pseudonymous, MemberStatus status) {
    }

    public record GraphEdge(String id, String from, String to, Integer points, String kind, LocalDate date, boolean voided) {
    }

    public record StatusCount(MemberStatus status, int count) {
    }

    public record KindCount(String kind, int count) {
    }

    public record Statistics(int members, List<StatusCount> membersByStatus, int assurances,
                             List<KindCount> assurancesByKind, int connectedComponents, int largestComponent) {
    }

    /** The selection, read once; nodes, edges and statistics are derived from it on demand. */
    public record TrustGraph(List<Edge> edges, Map<String, MemberStatus> statuses, Caller caller, Instant asOf,
                             Timeline.View view, int from, int to, Types.PageInfo pageInfo) {
    }

    @QueryMapping
    public TrustGraph trustGraph(@Argument String center, @Argument Integer depth, @Argument Boolean includeVoided,
                                 @Argument Integer first, @Argument String after, @Argument Instant asOf,
                                 @Argument Timeline.View view, @ContextValue(name = Caller.CONTEXT_KEY) Caller caller) {
        int d = depth == null ? 2 : depth;
        if (d < 1 || d > MAX_DEPTH) {
            throw new ApiException(ErrorCode.BAD_USER_INPUT, "depth must be 1 to " + MAX_DEPTH + ".");
        }
        String centerId = center == null ? null : resolve(center, caller);
        Timeline.View v = view == null ? Timeline.View.AS_CORRECTED : view;
        List<Edge> edges = new ArrayList<>();
        reader.forEachEdge(new TrustGraphReader.Selection(centerId, d, Boolean.TRUE.equals(includeVoided), asOf, v),
                edges::add);
        Pages.Window window = Pages.window(edges.size(), first == null ? 100 : first, after);
        Set<String> nodes = new LinkedHashSet<>(TrustGraphReader.nodesOf(edges));
        if (centerId != null) {
            nodes.add(centerId);
        } else {
            // The whole graph is every member, also those nobody has assured yet (as the exports have them).
            reader.forEachMemberId(nodes::add);
        }
        Map<String, MemberStatus> statuses = reader.statuses(nodes, asOf, v);
        String start = window.to() > window.from() ? Pages.cursor(window.from()) : null;
        String end = window.to() > window.from() ? Pages.cursor(window.to() - 1) : null;
        return new TrustGraph(edges, statuses, caller, asOf, v, window.from(), window.to(),
                new Types.PageInfo(window.hasNext(), window.from() > 0, start, end));
    }

    /** A centre given as a pseudonym, or as a member id the caller may see. */
    private String resolve(String center, Caller caller) {
        if (center.startsWith("p-")) {
            return pseudonyms.memberOf(center).orElseThrow(() -> new ApiException(ErrorCode.BAD_USER_INPUT,
                    "No member has the pseudonym " + center + "."));
        }
        if (!privacy.maySeePrivate(caller, center)) {
            throw new ApiException(ErrorCode.BAD_USER_INPUT, "Name the centre by its pseudonym (or be that member).");
        }
        return center;
    }

    @SchemaMapping(typeName = "TrustGraph")
    public List<GraphEdge> edges(TrustGraph g) {
        List<GraphEdge> page = new ArrayList<>();
        for (Edge e : g.edges().subList(g.from(), g.to())) {
            page.add(new GraphEdge(e.id(), display(e.from(), g.caller()), display(e.to(), g.caller()),
                    pointsShown(e, g.caller()), e.kind(), e.date(), e.voided()));
        }
        return page;
    }

    @SchemaMapping(typeName = "TrustGraph")
    public List<GraphNode> nodes(TrustGraph g) {
        return nodes(TrustGraphReader.nodesOf(g.edges().subList(g.from(), g.to())), g);
    }

    @SchemaMapping(typeName = "TrustGraph")
    public int totalEdges(TrustGraph g) {
        return g.edges().size();
    }

    @SchemaMapping(typeName = "TrustGraph")
    public Types.PageInfo pageInfo(TrustGraph g) {
        return g.pageInfo();
    }

    @SchemaMapping(typeName = "TrustGraph")
    public Statistics statistics(TrustGraph g) {
        TrustGraphReader.Statistics s = TrustGraphReader.statistics(g.statuses().keySet(), g.edges(), g.statuses());
        List<StatusCount> byStatus = new ArrayList<>();
        s.membersByStatus().forEach((k, v) -> byStatus.add(new StatusCount(k, v)));
        List<KindCount> byKind = new ArrayList<>();
        s.assurancesByKind().forEach((k, v) -> byKind.add(new KindCount(k, v)));
        return new Statistics(s.members(), byStatus, s.assurances(), byKind, s.connectedComponents(), s.largestComponent());
    }

    @SchemaMapping(typeName = "TrustGraph")
    public List<GraphNode> shortestPath(TrustGraph g, @Argument String from, @Argument String to) {
        return nodes(TrustGraphReader.shortestPath(resolve(from, g.caller()), resolve(to, g.caller()), g.edges()), g);
    }

    private List<GraphNode> nodes(Collection<String> ids, TrustGraph g) {
        List<GraphNode> result = new ArrayList<>();
        for (String id : ids) {
            String shown = display(id, g.caller());
            result.add(new GraphNode(shown, !shown.equals(id), g.statuses().get(id)));
        }
        return result;
    }

    /**
     * An assurance's points, to whoever may see the assuree's points (the assuree, support, their
     * arbitrator) and to the assurer who awarded them; null to everyone else: summing a pseudonym's
     * edges would give its point total, which is private (DOMAIN.md section 1).
     */
    private Integer pointsShown(Edge e, Caller caller) {
        return caller != null && caller.is(e.from()) || privacy.maySeePrivate(caller, e.to()) ? e.points() : null;
    }

    /** Computed, never stored: a query only reads (a centre named later is found by {@link Pseudonyms#memberOf}). */
    private String display(String memberId, Caller caller) {
        return privacy.maySeePrivate(caller, memberId) ? memberId : pseudonyms.of(memberId);
    }
}
