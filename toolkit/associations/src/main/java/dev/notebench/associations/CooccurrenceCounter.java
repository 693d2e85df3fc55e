package dev.notebench.associations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts terms and term pairs per sentence (or per window of tokens) for one chunk of concepts;
 * chunks are merged into one counter. Terms are content words of 3 or more letters, lowercased and
 * singular; a pair counts once per sentence (window). Counts are sums, so the merged result does
 * not depend on how the concepts were chunked.
 */
final class CooccurrenceCounter {
    private final int window;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> terms = new ArrayList<>();
    private int[] termCounts = new int[256];
    private final LongIntMap pairs = new LongIntMap();
    private long units;

    CooccurrenceCounter(int window) {
        this.window = window;
    }

    private int id(String term) {
        Integer id = ids.get(term);
        if (id == null) {
            id = terms.size();
            ids.put(term, id);
            terms.add(term);
            if (id >= termCounts.length) {
                termCounts = Arrays.copyOf(termCounts, termCounts.length * 2);
            }
        }
        return id;
    }

    private static boolean isTerm(Token t) {
        String w = t.lower();
        if (w.length() < 3 || !Words.isContent(t)) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (!Character.isLetter(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    void add(List<Token> tokens) {
        int[] termAt = new int[tokens.size()];
        int[] pos = new int[tokens.size()];
        int n = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (isTerm(t)) {
                termAt[n] = id(Words.singular(t.lower()));
                pos[n] = i;
                n++;
            }
        }
        if (window <= 0) {
            count(termAt, 0, n);
        } else {
            // every window of `window` tokens starting at a term; a pair counts once per start
            for (int s = 0; s < n; s++) {
                int e = s;
                while (e < n && pos[e] - pos[s] < window) {
                    e++;
                }
                count(termAt, s, e);
            }
        }
    }

    private void count(int[] termAt, int from, int to) {
        units++;
        int[] u = Arrays.copyOfRange(termAt, from, to);
        Arrays.sort(u);
        int m = 0;
        for (int i = 0; i < u.length; i++) {
            if (i == 0 || u[i] != u[i - 1]) {
                u[m++] = u[i];
            }
        }
        for (int i = 0; i < m; i++) {
            termCounts[u[i]]++;
            for (int j = i + 1; j < m; j++) {
                pairs.increment(((long) u[i] << 32) | u[j]);
            }
        }
    }

    /** Adds another chunk's counts to this one. */
    void merge(CooccurrenceCounter other) {
        units += other.units;
        int[] map = new int[other.terms.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = id(other.terms.get(i));
            termCounts[map[i]] += other.termCounts[i];
        }
        other.pairs.forEach((key, count) -> {
            int a = map[(int) (key >>> 32)];
            int b = map[(int) (key & 0xFFFFFFFFL)];
            long k = a < b ? ((long) a << 32) | b : ((long) b << 32) | a;
            pairs.add(k, count);
        });
    }

    /** Pairs seen at least {@code minCount} times with PMI at least {@code minPmi}, by count then PMI then terms. */
    List<Cooccurrence> result(int minCount, double minPmi) {
        List<Cooccurrence> out = new ArrayList<>();
        double total = units;
        pairs.forEach((key, count) -> {
            if (count < minCount) {
                return;
            }
            int a = (int) (key >>> 32);
            int b = (int) (key & 0xFFFFFFFFL);
            double pab = count / total;
            double pmi = Math.log(pab / ((termCounts[a] / total) * (termCounts[b] / total)));
            if (pmi < minPmi) {
                return;
            }
            double npmi = pab >= 1 ? 1 : pmi / -Math.log(pab);
            String ta = terms.get(a);
            String tb = terms.get(b);
            out.add(ta.compareTo(tb) <= 0 ? new Cooccurrence(ta, tb, count, pmi, npmi) : new Cooccurrence(tb, ta, count, pmi, npmi));
        });
        out.sort((x, y) -> x.count() != y.count() ? Integer.compare(y.count(), x.count())
                : x.pmi() != y.pmi() ? Double.compare(y.pmi(), x.pmi())
                : x.a().equals(y.a()) ? x.b().compareTo(y.b()) : x.a().compareTo(y.a()));
        return out;
    }

    /** Sentences (or windows) counted. */
    long units() {
        return units;
    }
}
