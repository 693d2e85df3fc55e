package dev.notebench.associations;

import java.time.Duration;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What an {@link Extractor} found: associations in concept order, the concepts that failed,
 * co-occurring term pairs, and counts.
 *
 * @param associations every association, by concept, then sentence, then position
 * @param failures concepts that could not be read, by concept
 * @param cooccurrences term pairs above the thresholds, most frequent first (empty when not counted)
 * @param concepts concepts read
 * @param sentences sentences read
 * @param workers threads used (1: the sequential path)
 * @param wall the wall time
 */
public record Extraction(List<Association> associations, List<Failure> failures, List<Cooccurrence> cooccurrences, int concepts,
                         long sentences, int workers, Duration wall) {
    /** Copies the lists. */
    public Extraction {
        associations = List.copyOf(associations);
        failures = List.copyOf(failures);
        cooccurrences = List.copyOf(cooccurrences);
    }

    /** Concepts per second of wall time. */
    public double conceptsPerSecond() {
        return concepts / Math.max(1e-9, wall.toNanos() / 1e9);
    }

    /** The associations as a table: concept, sentence, start, end, source, relation, target, heads, confidence, pattern. */
    public Table table() {
        IntColumn concept = IntColumn.create("concept");
        IntColumn sentence = IntColumn.create("sentence");
        IntColumn start = IntColumn.create("start");
        IntColumn end = IntColumn.create("end");
        StringColumn source = StringColumn.create("source");
        StringColumn relation = StringColumn.create("relation");
        StringColumn target = StringColumn.create("target");
        StringColumn sourceHead = StringColumn.create("source_head");
        StringColumn targetHead = StringColumn.create("target_head");
        DoubleColumn confidence = DoubleColumn.create("confidence");
        StringColumn pattern = StringColumn.create("pattern");
        for (Association a : associations) {
            concept.append(a.concept());
            sentence.append(a.sentence());
            start.append(a.sentenceStart());
            end.append(a.sentenceEnd());
            source.append(a.source());
            relation.append(a.relation());
            target.append(a.target());
            sourceHead.append(a.sourceHead());
            targetHead.append(a.targetHead());
            confidence.append(a.confidence());
            pattern.append(a.pattern());
        }
        return Table.create("associations", concept, sentence, start, end, source, relation, target, sourceHead, targetHead,
                confidence, pattern);
    }

    /** The failed concepts as a table: concept, error. */
    public Table failureTable() {
        IntColumn concept = IntColumn.create("concept");
        StringColumn error = StringColumn.create("error");
        for (Failure f : failures) {
            concept.append(f.concept());
            error.append(f.error());
        }
        return Table.create("failed concepts", concept, error);
    }

    /** The co-occurring pairs as a table: a, b, count, pmi, npmi. */
    public Table cooccurrenceTable() {
        StringColumn a = StringColumn.create("a");
        StringColumn b = StringColumn.create("b");
        IntColumn count = IntColumn.create("count");
        DoubleColumn pmi = DoubleColumn.create("pmi");
        DoubleColumn npmi = DoubleColumn.create("npmi");
        for (Cooccurrence c : cooccurrences) {
            a.append(c.a());
            b.append(c.b());
            count.append(c.count());
            pmi.append(Math.round(c.pmi() * 10000) / 10000.0);
            npmi.append(Math.round(c.npmi() * 10000) / 10000.0);
        }
        return Table.create("co-occurrence", a, b, count, pmi, npmi);
    }

    /** The typed associations aggregated by head words into a graph. */
    public AssociationGraph graph() {
        return AssociationGraph.of(associations);
    }

    /** Counts per relation: relation, associations. */
    public Table relationCounts() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        associations.forEach(a -> counts.merge(a.relation(), 1, Integer::sum));
        StringColumn relation = StringColumn.create("relation");
        IntColumn n = IntColumn.create("associations");
        counts.forEach((r, c) -> {
            relation.append(r);
            n.append(c);
        });
        return Table.create("associations per relation", relation, n);
    }
}
