package org.trustledger.server.graph;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.trustledger.ledger.api.MemberStatus;
import org.trustledger.ledger.rules.Timeline;
import org.trustledger.query.graph.Pseudonyms;
import org.trustledger.query.graph.TrustGraphReader;
import org.trustledger.query.graph.TrustGraphReader.Edge;

/**
 * {@code GET /graph/trust.{graphml|gexf|dot|cyjs}}: the whole trust graph, or a neighbourhood
 * ({@code center} by pseudonym, {@code depth}), as a download for Gephi, NetworkX, Graphviz or
 * Cytoscape. Public and pseudonymous. The whole graph is streamed from the database cursors (nodes,
 * then edges) and never held in memory.
 */
@RestController
public class GraphExports {

    static final int STATUS_BATCH = 500;
    private final TrustGraphReader reader;
    private final Pseudonyms pseudonyms;

    public GraphExports(TrustGraphReader reader, Pseudonyms pseudonyms) {
        this.reader = reader;
        this.pseudonyms = pseudonyms;
    }

    @GetMapping("/graph/trust.{extension}")
    public ResponseEntity<StreamingResponseBody> export(@PathVariable String extension,
                                                        @RequestParam(required = false) String center,
                                                        @RequestParam(defaultValue = "2") int depth,
                                                        @RequestParam(defaultValue = "false") boolean includeVoided) {
        GraphFormat format;
        try {
            format = GraphFormat.ofExtension(extension);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(out -> out.write(
                    (e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        String centerId = null;
        if (center != null) {
            centerId = pseudonyms.memberOf(center).orElse(null);
            if (centerId == null || depth < 1 || depth > TrustGraphController.MAX_DEPTH) {
                return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(out -> out.write(
                        ("Name the centre by a pseudonym from the graph (p-...), depth 1 to "
                                + TrustGraphController.MAX_DEPTH + ".\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        TrustGraphReader.Selection selection = new TrustGraphReader.Selection(centerId, depth, includeVoided, null,
                Timeline.View.AS_CORRECTED);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(format.mediaType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"trust." + format.extension() + "\"")
                .body(out -> write(format, selection, out));
    }

    void write(GraphFormat format, TrustGraphReader.Selection selection, OutputStream out) throws IOException {
        GraphFormat.Sink sink = new GraphFormat.Sink(format, out);
        if (selection.center() == null) {
            List<String> batch = new ArrayList<>(STATUS_BATCH);
            IOException[] failure = new IOException[1];
            reader.forEachMemberId(id -> {
                batch.add(id);
                if (batch.size() == STATUS_BATCH) {
                    failure[0] = failure[0] != null ? failure[0] : nodes(sink, batch);
                    batch.clear();
                }
            });
            failure[0] = failure[0] != null ? failure[0] : nodes(sink, batch);
            if (failure[0] != null) {
                throw failure[0];
            }
            reader.forEachEdge(selection, e -> edge(sink, e));
        } else {
            List<Edge> edges = new ArrayList<>();
            reader.forEachEdge(selection, edges::add);
            Set<String> nodes = new LinkedHashSet<>(TrustGraphReader.nodesOf(edges));
            nodes.add(selection.center());
            IOException failed = nodes(sink, new ArrayList<>(nodes));
            if (failed != null) {
                throw failed;
            }
            edges.forEach(e -> edge(sink, e));
        }
        sink.end();
    }

    private IOException nodes(GraphFormat.Sink sink, List<String> ids) {
        Map<String, MemberStatus> statuses = reader.statuses(new HashSet<>(ids), null, Timeline.View.AS_CORRECTED);
        try {
            for (String id : ids) {
                sink.node(pseudonyms.of(id), statuses.get(id));
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private void edge(GraphFormat.Sink sink, Edge e) {
        try {
            sink.edge(e, pseudonyms.of(e.from()), pseudonyms.of(e.to()));
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
