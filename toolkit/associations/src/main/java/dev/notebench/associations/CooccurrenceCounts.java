package dev.notebench.associations;

import dev.notebench.internal.LongIntMap;
import java.util.function.ObjIntConsumer;

/**
 * One part's co-occurrence counts, for engines that cut the input themselves and add the parts'
 * counts up (Spark's partitions): how many units (sentences or windows) the part has, how many of
 * them hold each term, and how many hold each pair of terms, counted by the local counter's code.
 * Summed over all parts, the counts are those {@link Extractor#extract} counts over the whole
 * input, and {@link Cooccurrence#of} on the sums gives the same PMI; thresholds (a pair's minimum
 * count, PMI) apply to the sums, never to one part's counts. Read-only.
 *
 * <pre>{@code
 * CooccurrenceCounts c = extractor.extractPart(texts, first).cooccurrence();
 * c.forEachPair((a, b, count) -> pairs.merge(a + "\t" + b, count, Integer::sum));
 * c.forEachTerm((term, count) -> terms.merge(term, count, Integer::sum));
 * }</pre>
 */
public final class CooccurrenceCounts {
    /** Receives one pair's count. */
    @FunctionalInterface
    public interface PairVisitor {
        /**
         * Receives one pair.
         *
         * @param a the first term, alphabetically ({@link String#compareTo}) before {@code b}
         * @param b the second term
         * @param count the part's units holding both
         */
        void visit(String a, String b, int count);
    }

    private final long units;
    private final String[] terms;
    private final int[] termCounts;
    private final LongIntMap pairs;

    /** Counts over {@code units} units; {@code pairs} keys the smaller id in the high 32 bits. Not copied: never changed. */
    CooccurrenceCounts(long units, String[] terms, int[] termCounts, LongIntMap pairs) {
        this.units = units;
        this.terms = terms;
        this.termCounts = termCounts;
        this.pairs = pairs;
    }

    /** No units: what a part holds when co-occurrence is not counted. */
    static CooccurrenceCounts none() {
        return new CooccurrenceCounts(0, new String[0], new int[0], new LongIntMap(1));
    }

    /** The part's units (sentences or windows), those without terms included. */
    public long units() {
        return units;
    }

    /** The distinct pairs of terms found in one unit. */
    public int pairCount() {
        return pairs.size();
    }

    /** Visits every term with the number of the part's units holding it (at least 1), in no particular order. */
    public void forEachTerm(ObjIntConsumer<String> visitor) {
        for (int i = 0; i < terms.length; i++) {
            if (termCounts[i] > 0) {
                visitor.accept(terms[i], termCounts[i]);
            }
        }
    }

    /** Visits every pair of terms found together in a unit, once, with the number of units holding both, in no particular order. */
    public void forEachPair(PairVisitor visitor) {
        pairs.forEach((key, count) -> {
            String x = terms[(int) (key >>> 32)];
            String y = terms[(int) (key & 0xFFFFFFFFL)];
            if (x.compareTo(y) <= 0) {
                visitor.visit(x, y, count);
            } else {
                visitor.visit(y, x, count);
            }
        });
    }
}
