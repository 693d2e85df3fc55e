package dev.notebench.associations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Associations aggregated by head word: a node per term (how many associations mention it), an
 * edge per (source, relation, target) with how often it was found and its mean confidence. Exports
 * to GraphML (Gephi, yEd, NetworkX) and DOT (Graphviz); nodes and edges in sorted order, so the
 * same associations always give the same file.
 */
public final class AssociationGraph {
    /** An edge. */
    public record Edge(String source, String relation, String target, int count, double confidence) {
    }

    private final Map<String, Integer> nodes;
    private final List<Edge> edges;

    private AssociationGraph(Map<String, Integer> nodes, List<Edge> edges) {
        this.nodes = nodes;
        this.edges = edges;
    }

    /** Aggregates associations by their head words. */
    public static AssociationGraph of(List<Association> associations) {
        Map<String, Integer> nodes = new TreeMap<>();
        Map<String, double[]> edges = new TreeMap<>();
        for (Association a : associations) {
            nodes.merge(a.sourceHead(), 1, Integer::sum);
            nodes.merge(a.targetHead(), 1, Integer::sum);
            double[] e = edges.computeIfAbsent(a.sourceHead() + '\u0000' + a.relation() + '\u0000' + a.targetHead(),
                    k -> new double[2]);
            e[0]++;
            e[1] += a.confidence();
        }
        List<Edge> list = new ArrayList<>();
        edges.forEach((k, v) -> {
            String[] p = k.split("\u0000", 3);
            list.add(new Edge(p[0], p[1], p[2], (int) v[0], v[1] / v[0]));
        });
        return new AssociationGraph(new LinkedHashMap<>(nodes), List.copyOf(list));
    }

    /** Terms and how many associations mention each, alphabetically. */
    public Map<String, Integer> nodes() {
        return java.util.Collections.unmodifiableMap(nodes);
    }

    /** The edges, by source, relation, target. */
    public List<Edge> edges() {
        return edges;
    }

    /** The edges as a table: source, relation, target, count, confidence; most frequent first. */
    public Table edgeTable() {
        StringColumn source = StringColumn.create("source");
        StringColumn relation = StringColumn.create("relation");
        StringColumn target = StringColumn.create("target");
        IntColumn count = IntColumn.create("count");
        DoubleColumn confidence = DoubleColumn.create("confidence");
        List<Edge> sorted = new ArrayList<>(edges);
        sorted.sort((a, b) -> Integer.compare(b.count(), a.count()));
        for (Edge e : sorted) {
            source.append(e.source());
            relation.append(e.relation());
            target.append(e.target());
            count.append(e.count());
            confidence.append(Math.round(e.confidence() * 1000) / 1000.0);
        }
        return Table.create("association graph", source, relation, target, count, confidence);
    }

    /** GraphML with node attribute {@code mentions} and edge attributes {@code relation}, {@code count}, {@code confidence}. */
    public String toGraphMl() {
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
        s.append("  <key id=\"mentions\" for=\"node\" attr.name=\"mentions\" attr.type=\"int\"/>\n");
        s.append("  <key id=\"relation\" for=\"edge\" attr.name=\"relation\" attr.type=\"string\"/>\n");
        s.append("  <key id=\"count\" for=\"edge\" attr.name=\"count\" attr.type=\"int\"/>\n");
        s.append("  <key id=\"confidence\" for=\"edge\" attr.name=\"confidence\" attr.type=\"double\"/>\n");
        s.append("  <graph id=\"associations\" edgedefault=\"directed\">\n");
        nodes.forEach((n, c) -> s.append("    <node id=\"").append(xml(n)).append("\"><data key=\"mentions\">").append(c)
                .append("</data></node>\n"));
        int i = 0;
        for (Edge e : edges) {
            s.append("    <edge id=\"e").append(i++).append("\" source=\"").append(xml(e.source())).append("\" target=\"")
                    .append(xml(e.target())).append("\"><data key=\"relation\">").append(xml(e.relation()))
                    .append("</data><data key=\"count\">").append(e.count()).append("</data><data key=\"confidence\">")
                    .append(String.format(Locale.ROOT, "%.4f", e.confidence())).append("</data></edge>\n");
        }
        s.append("  </graph>\n</graphml>\n");
        return s.toString();
    }

    /** Graphviz DOT: a digraph whose edges are labelled with relation and count. */
    public String toDot() {
        StringBuilder s = new StringBuilder("digraph associations {\n  node [shape=box];\n");
        nodes.keySet().forEach(n -> s.append("  ").append(dot(n)).append(";\n"));
        for (Edge e : edges) {
            s.append("  ").append(dot(e.source())).append(" -> ").append(dot(e.target())).append(" [label=")
                    .append(dot(e.relation() + " (" + e.count() + ")")).append("];\n");
        }
        return s.append("}\n").toString();
    }

    private static String xml(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String dot(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }
}
