package dev.notebench.associations;

import java.util.Comparator;

/**
 * Two terms seen in the same sentence (or window) more often than chance: how often, and their
 * pointwise mutual information over sentences, {@code log(p(a,b) / (p(a) p(b)))}, also normalized
 * to [-1, 1] ({@code npmi = pmi / -log p(a,b)}).
 *
 * @param a the first term (lowercased, singular), alphabetically before {@code b}
 * @param b the second term
 * @param count sentences (windows) holding both
 * @param pmi pointwise mutual information, natural log
 * @param npmi normalized PMI
 */
public record Cooccurrence(String a, String b, int count, double pmi, double npmi) {
    /**
     * By count, then PMI (both descending), then the terms: a total order, so that an output in this
     * order never depends on threads or partitions.
     */
    public static final Comparator<Cooccurrence> ORDER = (x, y) -> x.count() != y.count()
            ? Integer.compare(y.count(), x.count())
            : x.pmi() != y.pmi() ? Double.compare(y.pmi(), x.pmi())
            : x.a().equals(y.a()) ? x.b().compareTo(y.b()) : x.a().compareTo(y.a());

    /**
     * A pair from its counts over {@code units} sentences (windows), PMI and NPMI computed as every
     * counter of Notebench computes them (one definition, so that counts made elsewhere, e.g. on a
     * cluster, give the same doubles).
     *
     * @param a one term
     * @param b the other term; the two are put in alphabetical order
     * @param count units holding both
     * @param countA units holding {@code a}
     * @param countB units holding {@code b}
     * @param units all units, those without terms included
     */
    public static Cooccurrence of(String a, String b, int count, int countA, int countB, long units) {
        double n = units;
        double pab = count / n;
        double pmi = Math.log(pab / ((countA / n) * (countB / n)));
        double npmi = pab >= 1 ? 1 : pmi / -Math.log(pab);
        return a.compareTo(b) <= 0 ? new Cooccurrence(a, b, count, pmi, npmi) : new Cooccurrence(b, a, count, pmi, npmi);
    }
}
