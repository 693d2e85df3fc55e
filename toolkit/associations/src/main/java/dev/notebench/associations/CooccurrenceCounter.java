package dev.notebench.associations;

import dev.notebench.internal.LongIntMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Term co-occurrence in two phases that both run in parallel. First, while concepts are read,
 * each sentence (or window of tokens) becomes a sorted set of term ids ({@link #units}); ids come
 * from one shared dictionary. Then pairs are counted with the pair space split by the smaller
 * term's id across the threads, so that no thread's counts overlap another's and nothing is
 * merged. Terms are content words of 3 or more letters, lowercased and singular; a pair counts
 * once per sentence (window). The result does not depend on the number of threads.
 */
final class CooccurrenceCounter {
    private final int window;
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final List<String> terms = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger next = new AtomicInteger();

    CooccurrenceCounter(int window) {
        this.window = window;
    }

    private int id(String term) {
        Integer id = ids.get(term);
        if (id != null) {
            return id;
        }
        synchronized (this) {
            return ids.computeIfAbsent(term, t -> {
                int i = next.getAndIncrement();
                terms.add(t);
                return i;
            });
        }
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

    /** Adds the units (sorted distinct term ids) of one sentence to {@code out}. */
    void units(List<Token> tokens, List<int[]> out) {
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
            out.add(distinct(termAt, 0, n));
        } else {
            for (int s = 0; s < n; s++) {
                int e = s;
                while (e < n && pos[e] - pos[s] < window) {
                    e++;
                }
                out.add(distinct(termAt, s, e));
            }
        }
    }

    /**
     * The counts of {@code units}, made by this counter: for a caller that adds up parts counted
     * apart (see {@link CooccurrenceCounts}), with the same code {@link #count} counts with.
     */
    CooccurrenceCounts counts(List<int[]> units) {
        String[] byId = byId();
        List<List<int[]>> lists = List.of(units);
        return new CooccurrenceCounts(units.size(), byId, termCounts(lists, byId.length), pairCounts(lists, 1, 0));
    }

    private String[] byId() {
        String[] names = terms.toArray(new String[0]);
        String[] byId = new String[names.length];
        for (String t : names) {
            byId[ids.get(t)] = t;
        }
        return byId;
    }

    /** How many units hold each term id. */
    private static int[] termCounts(List<List<int[]>> unitLists, int size) {
        int[] counts = new int[size];
        for (List<int[]> units : unitLists) {
            for (int[] u : units) {
                for (int t : u) {
                    counts[t]++;
                }
            }
        }
        return counts;
    }

    /** How many units hold each pair whose smaller id is {@code part} modulo {@code workers}, keyed smaller id high. */
    private static LongIntMap pairCounts(List<List<int[]>> unitLists, int workers, int part) {
        LongIntMap pairs = new LongIntMap();
        for (List<int[]> units : unitLists) {
            for (int[] u : units) {
                for (int i = 0; i < u.length - 1; i++) {
                    if (u[i] % workers != part) {
                        continue;
                    }
                    long high = (long) u[i] << 32;
                    for (int j = i + 1; j < u.length; j++) {
                        pairs.increment(high | u[j]);
                    }
                }
            }
        }
        return pairs;
    }

    private static int[] distinct(int[] a, int from, int to) {
        int[] u = Arrays.copyOfRange(a, from, to);
        Arrays.sort(u);
        int m = 0;
        for (int i = 0; i < u.length; i++) {
            if (i == 0 || u[i] != u[i - 1]) {
                u[m++] = u[i];
            }
        }
        return m == u.length ? u : Arrays.copyOf(u, m);
    }

    /**
     * Counts pairs over all units, the pair space split across {@code workers} tasks on {@code pool}
     * (null: this thread), and keeps those seen at least {@code minCount} times with PMI at least
     * {@code minPmi}; by count, then PMI, then terms.
     */
    List<Cooccurrence> count(List<List<int[]>> unitLists, int workers, ExecutorService pool, int minCount, double minPmi)
            throws InterruptedException, ExecutionException {
        String[] byId = byId();
        int[] termCounts = termCounts(unitLists, byId.length);
        long total = 0;
        for (List<int[]> units : unitLists) {
            total += units.size();
        }
        long unitCount = total;
        List<Callable<List<Cooccurrence>>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int part = w;
            parts.add(() -> {
                LongIntMap pairs = pairCounts(unitLists, workers, part);
                List<Cooccurrence> out = new ArrayList<>();
                pairs.forEach((key, count) -> {
                    if (count < minCount) {
                        return;
                    }
                    int a = (int) (key >>> 32);
                    int b = (int) (key & 0xFFFFFFFFL);
                    Cooccurrence c = Cooccurrence.of(byId[a], byId[b], count, termCounts[a], termCounts[b], unitCount);
                    if (c.pmi() >= minPmi) {
                        out.add(c);
                    }
                });
                out.sort(Cooccurrence.ORDER);
                return out;
            });
        }
        List<List<Cooccurrence>> sorted = new ArrayList<>();
        if (pool == null || workers == 1) {
            for (Callable<List<Cooccurrence>> p : parts) {
                try {
                    sorted.add(p.call());
                } catch (Exception e) {
                    throw new ExecutionException(e);
                }
            }
        } else {
            for (Future<List<Cooccurrence>> f : pool.invokeAll(parts)) {
                sorted.add(f.get());
            }
        }
        return merge(sorted);
    }

    /** Merges lists sorted by {@link Cooccurrence#ORDER}. */
    private static List<Cooccurrence> merge(List<List<Cooccurrence>> lists) {
        int total = 0;
        for (List<Cooccurrence> l : lists) {
            total += l.size();
        }
        List<Cooccurrence> out = new ArrayList<>(total);
        int[] at = new int[lists.size()];
        while (out.size() < total) {
            int best = -1;
            for (int i = 0; i < lists.size(); i++) {
                if (at[i] < lists.get(i).size()
                        && (best < 0 || Cooccurrence.ORDER.compare(lists.get(i).get(at[i]), lists.get(best).get(at[best])) < 0)) {
                    best = i;
                }
            }
            out.add(lists.get(best).get(at[best]++));
        }
        return out;
    }
}
