package dev.notebench.tokenize.internal;

import dev.notebench.internal.LongIntMap;
import java.util.Arrays;

/**
 * A byte-level BPE model's merges, ready to encode pieces: each byte's id, each mergeable pair of
 * ids (packed in a long) to its rank, each rank to the merged id, and, with {@code ignore_merges},
 * the vocabulary as bytes. Merging applies the lowest-ranked pair first, the leftmost of equals, as
 * Hugging Face's {@code Word::merge_all} does. Immutable; thread-safe.
 */
public final class MergeTable {
    /** Pieces up to this many bytes merge by scanning; longer ones through a heap. */
    private static final int SCAN_LIMIT = 64;
    /** Pieces up to this many bytes are cached. */
    private static final int CACHED_LIMIT = 256;

    private final int[] byteIds;
    private final LongIntMap ranks;
    private final int[] merged;
    private final BytesIntMap wholePieces;

    /**
     * A table.
     *
     * @param byteIds the id of each byte's token (256)
     * @param lefts the left id of each merge, by rank
     * @param rights the right id of each merge, by rank
     * @param merged the id each merge makes, by rank
     * @param wholePieces the vocabulary as bytes when a piece in it is taken whole without merging
     *     ({@code ignore_merges}), else {@code null}
     */
    public MergeTable(int[] byteIds, int[] lefts, int[] rights, int[] merged, BytesIntMap wholePieces) {
        this.byteIds = byteIds.clone();
        this.merged = merged.clone();
        this.ranks = new LongIntMap(merged.length);
        for (int r = 0; r < merged.length; r++) { // a pair listed twice keeps its last rank, as in HF's map
            ranks.add(pair(lefts[r], rights[r]), r + 1 - ranks.get(pair(lefts[r], rights[r])));
        }
        this.wholePieces = wholePieces;
    }

    private static long pair(int left, int right) {
        return (long) left << 32 | (right & 0xFFFFFFFFL);
    }

    /** Returns the rank of merging {@code left} and {@code right}, or -1. */
    int rank(int left, int right) {
        return ranks.get(pair(left, right)) - 1;
    }

    /**
     * Appends the ids of one piece.
     *
     * @param b the bytes
     * @param from first byte of the piece
     * @param to one past its last
     * @param s the calling thread's scratch space, whose {@code out} receives the ids
     */
    void encode(byte[] b, int from, int to, Scratch s) {
        int n = to - from;
        if (n == 1) {
            s.out.add(byteIds[b[from] & 0xFF]);
            return;
        }
        if (n > CACHED_LIMIT) { // long pieces seldom repeat: caching them would only hold memory
            for (int id : merge(b, from, to, s)) {
                s.out.add(id);
            }
            return;
        }
        int hash = BytesIntMap.hash(b, from, to);
        int[] cached = s.cache.get(b, from, to, hash);
        if (cached == null) {
            cached = merge(b, from, to, s);
            s.cache.put(b, from, to, hash, cached);
        }
        for (int id : cached) {
            s.out.add(id);
        }
    }

    /**
     * Returns the ids of one piece, uncached.
     */
    int[] merge(byte[] b, int from, int to, Scratch s) {
        if (wholePieces != null) {
            int id = wholePieces.get(b, from, to);
            if (id >= 0) {
                return new int[] {id};
            }
        }
        int n = to - from;
        return n <= SCAN_LIMIT ? scan(b, from, n, s) : heap(b, from, n, s);
    }

    private int[] scan(byte[] b, int from, int n, Scratch s) {
        int[] ids = s.ids(n);
        int[] pr = s.ranks(n);
        for (int i = 0; i < n; i++) {
            ids[i] = byteIds[b[from + i] & 0xFF];
        }
        for (int i = 0; i + 1 < n; i++) {
            pr[i] = rankOrMax(ids[i], ids[i + 1]);
        }
        int m = n;
        while (m > 1) {
            int best = Integer.MAX_VALUE;
            int at = -1;
            for (int i = 0; i + 1 < m; i++) {
                if (pr[i] < best) {
                    best = pr[i];
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            ids[at] = merged[best];
            System.arraycopy(ids, at + 2, ids, at + 1, m - at - 2);
            System.arraycopy(pr, at + 2, pr, at + 1, Math.max(0, m - at - 3));
            m--;
            if (at > 0) {
                pr[at - 1] = rankOrMax(ids[at - 1], ids[at]);
            }
            if (at + 1 < m) {
                pr[at] = rankOrMax(ids[at], ids[at + 1]);
            }
        }
        return Arrays.copyOf(ids, m);
    }

    private int rankOrMax(int left, int right) {
        int r = ranks.get(pair(left, right)) - 1;
        return r < 0 ? Integer.MAX_VALUE : r;
    }

    /** Long pieces: symbols in a linked list, candidate merges in a heap keyed by (rank, position). */
    private int[] heap(byte[] b, int from, int n, Scratch s) {
        int[] ids = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i < n; i++) {
            ids[i] = byteIds[b[from + i] & 0xFF];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        for (int i = 0; i + 1 < n; i++) {
            int r = rank(ids[i], ids[i + 1]);
            if (r >= 0) {
                heap.push((long) r << 32 | i);
            }
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int r = (int) (top >>> 32);
            int at = (int) top;
            int nx = next[at];
            if (ids[at] < 0 || nx < 0 || rank(ids[at], ids[nx]) != r) {
                continue; // stale: a symbol of this pair was merged since
            }
            ids[at] = merged[r];
            ids[nx] = -1;
            next[at] = next[nx];
            if (next[nx] >= 0) {
                prev[next[nx]] = at;
            }
            alive--;
            if (prev[at] >= 0) {
                int rl = rank(ids[prev[at]], ids[at]);
                if (rl >= 0) {
                    heap.push((long) rl << 32 | prev[at]);
                }
            }
            if (next[at] >= 0) {
                int rr = rank(ids[at], ids[next[at]]);
                if (rr >= 0) {
                    heap.push((long) rr << 32 | at);
                }
            }
        }
        int[] out = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = ids[i];
        }
        return out;
    }

    /** A binary min-heap of longs. */
    private static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) {
            a = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (a[parent] <= v) {
                    break;
                }
                a[i] = a[parent];
                i = parent;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long v = a[--size];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && a[c + 1] < a[c]) {
                    c++;
                }
                if (a[c] >= v) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            a[i] = v;
            return top;
        }
    }
}
