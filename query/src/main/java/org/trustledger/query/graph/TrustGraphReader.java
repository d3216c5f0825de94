package org.trustledger.query.graph;

import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.bson.Document;
import org.trustledger.ledger.api.MemberStatus;
import org.trustledger.ledger.rules.Timeline;
import org.trustledger.query.MemberHistory;
import org.trustledger.query.MemberReadModel;

/**
 * The web of trust as a graph: members are nodes, assurances are edges (assurer to assuree). Edges
 * are read from the assurance read model and can be restricted to a neighbourhood (breadth-first from
 * a centre, by both directions) and to an instant: as the ledger recorded it then (a later voiding
 * does not count yet) or as corrected since (a voided assurance never counted).
 */
public class TrustGraphReader {

    static final String ASSURANCES = "assurance_view";
    static final String MEMBERS = "member_view";
    private final MongoDatabase database;
    private final MemberReadModel members;
    private final MemberHistory history;

    public TrustGraphReader(MongoDatabase database, MemberReadModel members, MemberHistory history) {
        this.database = database;
        this.members = members;
        this.history = history;
    }

    /** One assurance as an edge. */
    public record Edge(String id, String from, String to, int points, String kind, LocalDate date, boolean voided,
                       Instant recordedAt) {
    }

    /** What to read: a centre (null: everything), how far, voided edges or not, and when. */
    public record Selection(String center, int depth, boolean includeVoided, Instant asOf, Timeline.View view) {
    }

    /** Streams every edge of the selection (whole graph: straight from the cursor, in bounded memory). */
    public void forEachEdge(Selection s, Consumer<Edge> each) {
        if (s.center() == null) {
            database.getCollection(ASSURANCES).find().forEach(d -> edge(d, s).ifPresent(each));
            return;
        }
        Set<String> seenEdges = new HashSet<>();
        Set<String> visited = new HashSet<>(Set.of(s.center()));
        Deque<String> frontier = new ArrayDeque<>(List.of(s.center()));
        for (int level = 0; level < s.depth() && !frontier.isEmpty(); level++) {
            Deque<String> next = new ArrayDeque<>();
            List<String> ids = new ArrayList<>();
            for (String member : frontier) {
                members.member(member).ifPresent(m -> {
                    ids.addAll(m.receivedAssuranceIds());
                    ids.addAll(members.givenAssuranceIds(member, 0, m.givenCount()));
                });
            }
            for (int i = 0; i < ids.size(); i += 500) {
                database.getCollection(ASSURANCES).find(in("_id", ids.subList(i, Math.min(ids.size(), i + 500))))
                        .forEach(d -> edge(d, s).filter(e -> seenEdges.add(e.id())).ifPresent(e -> {
                            each.accept(e);
                            for (String end : List.of(e.from(), e.to())) {
                                if (visited.add(end)) {
                                    next.add(end);
                                }
                            }
                        }));
            }
            frontier = next;
        }
    }

    /** Every member id, for whole-graph node lists (streamed). */
    public void forEachMemberId(Consumer<String> each) {
        database.getCollection(MEMBERS).find().projection(new Document("_id", 1)).forEach(d -> each.accept(d.getString("_id")));
    }

    /** Status of each member now, or as of {@code asOf} in the given view. */
    public Map<String, MemberStatus> statuses(Collection<String> ids, Instant asOf, Timeline.View view) {
        Map<String, MemberStatus> result = new HashMap<>();
        if (asOf == null) {
            members.members(ids).forEach((id, m) -> result.put(id, m.standing().status()));
            return result;
        }
        for (String id : ids) {
            history.pointsAsOf(id, asOf, view).ifPresent(st -> result.put(id, st.status()));
        }
        return result;
    }

    /** Graph statistics over a set of edges and nodes. */
    public record Statistics(int members, Map<MemberStatus, Integer> membersByStatus, int assurances,
                             Map<String, Integer> assurancesByKind, int connectedComponents, int largestComponent) {
    }

    public static Statistics statistics(Collection<String> nodes, Collection<Edge> edges, Map<String, MemberStatus> status) {
        Map<MemberStatus, Integer> byStatus = new java.util.EnumMap<>(MemberStatus.class);
        for (MemberStatus s : MemberStatus.values()) {
            byStatus.put(s, 0);
        }
        nodes.forEach(n -> {
            MemberStatus s = status.get(n);
            if (s != null) {
                byStatus.merge(s, 1, Integer::sum);
            }
        });
        Map<String, Integer> byKind = new java.util.TreeMap<>();
        Map<String, String> parent = new HashMap<>();
        nodes.forEach(n -> parent.put(n, n));
        for (Edge e : edges) {
            byKind.merge(e.kind(), 1, Integer::sum);
            parent.putIfAbsent(e.from(), e.from());
            parent.putIfAbsent(e.to(), e.to());
            union(parent, e.from(), e.to());
        }
        Map<String, Integer> sizes = new HashMap<>();
        parent.keySet().forEach(n -> sizes.merge(find(parent, n), 1, Integer::sum));
        return new Statistics(parent.size(), byStatus, edges.size(), byKind, sizes.size(),
                sizes.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    /** The shortest chain of assurances (either direction) between two members, both included; empty if none. */
    public static List<String> shortestPath(String from, String to, Collection<Edge> edges) {
        Map<String, List<String>> adjacent = new HashMap<>();
        for (Edge e : edges) {
            adjacent.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
            adjacent.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
        }
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        previous.put(from, from);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (n.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String p = to; ; p = previous.get(p)) {
                    path.add(0, p);
                    if (p.equals(from)) {
                        return path;
                    }
                }
            }
            for (String m : adjacent.getOrDefault(n, List.of())) {
                if (previous.putIfAbsent(m, n) == null) {
                    queue.add(m);
                }
            }
        }
        return List.of();
    }

    /** Node ids of a set of edges, in first-seen order. */
    public static Set<String> nodesOf(Collection<Edge> edges) {
        Set<String> nodes = new LinkedHashSet<>();
        edges.forEach(e -> {
            nodes.add(e.from());
            nodes.add(e.to());
        });
        return nodes;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }

    private static String find(Map<String, String> parent, String n) {
        String root = n;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        for (String p = n; !p.equals(root); ) {
            String next = parent.get(p);
            parent.put(p, root);
            p = next;
        }
        return root;
    }

    private static java.util.Optional<Edge> edge(Document d, Selection s) {
        Instant recorded = d.getDate("recordedAt").toInstant();
        if (s.asOf() != null && recorded.isAfter(s.asOf())) {
            return java.util.Optional.empty();
        }
        boolean voided = d.getBoolean("voided", false);
        if (voided && s.asOf() != null && s.view() == Timeline.View.AS_RECORDED) {
            Date at = d.getDate("voidedAt");
            voided = at != null && !at.toInstant().isAfter(s.asOf());
        }
        if (voided && !s.includeVoided()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Edge(d.getString("_id"), d.getString("assurerId"), d.getString("assureeId"),
                d.getInteger("points"), d.getString("kind"), LocalDate.parse(d.getString("date")), voided, recorded));
    }
}
