package dev.notebench.tokenize.internal;

import java.util.Arrays;

/**
 * The words where each pair gained during one merge step, without boxing: an open-addressing
 * table whose slots are valid only for the current step (a stamp), so clearing is O(1), and a
 * pool of lists reused from step to step.
 */
final class PairBuckets {
    private long[] keys = new long[1024];
    private int[] stamp = new int[1024];
    private int[] bucket = new int[1024];
    private int mask = 1023;
    private int step = 1;

    private long[] bucketPair = new long[256];
    private IntList[] lists = new IntList[256];
    private int used;

    /** Forgets every bucket. */
    void clear() {
        step++;
        used = 0;
    }

    int size() {
        return used;
    }

    long pair(int k) {
        return bucketPair[k];
    }

    int[] words(int k) {
        return lists[k].toArray();
    }

    /** Records that {@code pair} gained in {@code word} (once per word, as words come in order). */
    void add(long pair, int word) {
        int slot = slot(pair);
        while (stamp[slot] == step && keys[slot] != pair) {
            slot = (slot + 1) & mask;
        }
        IntList l;
        if (stamp[slot] != step) {
            if (used == lists.length) {
                lists = Arrays.copyOf(lists, used * 2);
                bucketPair = Arrays.copyOf(bucketPair, used * 2);
            }
            stamp[slot] = step;
            keys[slot] = pair;
            bucket[slot] = used;
            bucketPair[used] = pair;
            l = lists[used];
            if (l == null) {
                l = lists[used] = new IntList(4);
            }
            l.size = 0;
            used++;
            if (used * 2 > keys.length) {
                grow();
            }
        } else {
            l = lists[bucket[slot]];
        }
        if (l.size == 0 || l.last() != word) {
            l.add(word);
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        keys = new long[keys.length * 2];
        stamp = new int[keys.length];
        bucket = new int[keys.length];
        mask = keys.length - 1;
        for (int k = 0; k < used; k++) {
            int slot = slot(bucketPair[k]);
            while (stamp[slot] == step) {
                slot = (slot + 1) & mask;
            }
            stamp[slot] = step;
            keys[slot] = bucketPair[k];
            bucket[slot] = k;
        }
    }
}
