package org.trustledger.server.graph;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.trustledger.ledger.api.MemberStatus;
import org.trustledger.query.graph.TrustGraphReader.Edge;

/**
 * Streaming writers of the trust graph in GraphML, GEXF 1.2 (what Gephi and NetworkX read), Graphviz DOT and Cytoscape.js JSON: all
 * nodes first, then all edges, each written as it comes and nothing kept, so a graph of any size
 * exports in bounded memory. Edges carry kind, date and voided, not points: the exports are public, and a
 * pseudonym's points would add up to its private total.
 */
public enum GraphFormat {
    GRAPHML("graphml", "application/graphml+xml"),
    GEXF("gexf", "application/gexf+xml"),
    DOT("dot", "text/vnd.graphviz"),
    CYTOSCAPE("cyjs", "application/json");

    private final String extension;
    private final String mediaType;

    GraphFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public static GraphFormat ofExtension(String ext) {
        for (GraphFormat f : values()) {
            if (f.extension.equals(ext.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown graph format '" + ext + "': use graphml, gexf, dot or cyjs.");
    }

    public Writer open(OutputStream out) {
        return new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    /** Writes one graph: {@link #node} for every node, then {@link #edge} for every edge, then {@link #end}. */
    public static final class Sink {
        private final GraphFormat format;
        private final Writer out;
        private boolean edges;
        private boolean first = true;

        public Sink(GraphFormat format, OutputStream out) throws IOException {
            this.format = format;
            this.out = format.open(out);
            switch (format) {
                case GRAPHML -> this.out.write("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
                          <key id="status" for="node" attr.name="status" attr.type="string"/>
                          <key id="kind" for="edge" attr.name="kind" attr.type="string"/>
                          <key id="date" for="edge" attr.name="date" attr.type="string"/>
                          <key id="voided" for="edge" attr.name="voided" attr.type="boolean"/>
                          <graph id="trust" edgedefault="directed">
                        """);
                case GEXF -> this.out.write("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">
                          <graph defaultedgetype="directed" mode="static">
                            <attributes class="node" mode="static"><attribute id="status" title="status" type="string"/></attributes>
                            <attributes class="edge" mode="static">
                              <attribute id="kind" title="kind" type="string"/>
                              <attribute id="date" title="date" type="string"/>
                              <attribute id="voided" title="voided" type="boolean"/>
                            </attributes>
                            <nodes>
                        """);
                case DOT -> this.out.write("digraph trust {\n  node [shape=circle, style=filled, fontsize=8];\n");
                case CYTOSCAPE -> this.out.write("{\"elements\":{\"nodes\":[");
            }
        }

        public void node(String id, MemberStatus status) throws IOException {
            String s = status == null ? "UNKNOWN" : status.name();
            switch (format) {
                case GRAPHML -> out.write("    <node id=\"" + xml(id) + "\"><data key=\"status\">" + s + "</data></node>\n");
                case GEXF -> out.write("      <node id=\"" + xml(id) + "\" label=\"" + xml(id) + "\"><attvalues><attvalue for="
                        + "\"status\" value=\"" + s + "\"/></attvalues></node>\n");
                case DOT -> out.write("  \"" + dot(id) + "\" [label=\"\", fillcolor=\"" + colour(status) + "\", tooltip=\""
                        + s + "\"];\n");
                case CYTOSCAPE -> {
                    out.write((first ? "" : ",") + "{\"data\":{\"id\":\"" + json(id) + "\",\"status\":\"" + s + "\"}}");
                    first = false;
                }
            }
        }

        public void edge(Edge e, String from, String to) throws IOException {
            if (!edges) {
                edges = true;
                first = true;
                switch (format) {
                    case GEXF -> out.write("    </nodes>\n    <edges>\n");
                    case CYTOSCAPE -> out.write("],\"edges\":[");
                    default -> { }
                }
            }
            switch (format) {
                case GRAPHML -> out.write("    <edge id=\"" + xml(e.id()) + "\" source=\"" + xml(from) + "\" target=\"" + xml(to)
                        + "\"><data key=\"kind\">" + e.kind()
                        + "</data><data key=\"date\">" + e.date() + "</data><data key=\"voided\">" + e.voided()
                        + "</data></edge>\n");
                case GEXF -> out.write("      <edge id=\"" + xml(e.id()) + "\" source=\"" + xml(from) + "\" target=\"" + xml(to)
                        + "\"><attvalues><attvalue for=\"kind\" value=\"" + e.kind()
                        + "\"/><attvalue for=\"date\" value=\"" + e.date() + "\"/><attvalue for=\"voided\" value=\""
                        + e.voided() + "\"/></attvalues></edge>\n");
                case DOT -> out.write("  \"" + dot(from) + "\" -> \"" + dot(to) + "\" [tooltip=\"" + e.kind() + " " + e.date() + "\""
                        + (e.voided() ? ", style=dashed, color=gray" : "") + "];\n");
                case CYTOSCAPE -> {
                    out.write((first ? "" : ",") + "{\"data\":{\"id\":\"" + json(e.id()) + "\",\"source\":\"" + json(from)
                            + "\",\"target\":\"" + json(to) + "\",\"kind\":\"" + e.kind()
                            + "\",\"date\":\"" + e.date() + "\",\"voided\":" + e.voided() + "}}");
                    first = false;
                }
            }
        }

        public void end() throws IOException {
            switch (format) {
                case GRAPHML -> out.write("  </graph>\n</graphml>\n");
                case GEXF -> out.write((edges ? "    </edges>\n" : "    </nodes>\n    <edges/>\n") + "  </graph>\n</gexf>\n");
                case DOT -> out.write("}\n");
                case CYTOSCAPE -> out.write((edges ? "" : "],\"edges\":[") + "]}}");
            }
            out.flush();
        }
    }

    /** Fill colour per status (DOT; the web page uses the same). */
    public static String colour(MemberStatus status) {
        if (status == null) {
            return "#d1d5db";
        }
        return switch (status) {
            case MEMBER -> "#d1d5db";
            case ASSURED_MEMBER -> "#93c5fd";
            case ASSURER -> "#34d399";
            case SENIOR_ASSURER -> "#f59e0b";
        };
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String dot(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
