package dev.notebench.tokenize.internal;

import java.util.Arrays;

/**
 * One thread's cache of pieces (byte strings) to their ids, bounded: when it is full it is
 * emptied, so memory stays fixed whatever the text. Not thread-safe.
 */
public final class PieceCache {
    private final int capacity;
    private final byte[][] keys;
    private final int[][] values;
    private final int mask;
    private int size;

    /**
     * A cache of up to {@code capacity} pieces.
     *
     * @param capacity the most pieces held (a power of two is used above twice it)
     */
    public PieceCache(int capacity) {
        this.capacity = capacity;
        int cap = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        keys = new byte[cap][];
        values = new int[cap][];
        mask = cap - 1;
    }

    /** Returns the ids of {@code b[from, to)} with hash {@code hash}, or {@code null}. */
    public int[] get(byte[] b, int from, int to, int hash) {
        int slot = hash & mask;
        int n = to - from;
        while (true) {
            byte[] k = keys[slot];
            if (k == null) {
                return null;
            }
            if (k.length == n && Arrays.equals(k, 0, n, b, from, to)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Caches the ids of {@code b[from, to)}, which must be absent. */
    public void put(byte[] b, int from, int to, int hash, int[] ids) {
        if (size >= capacity) {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
            size = 0;
        }
        int slot = hash & mask;
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = Arrays.copyOfRange(b, from, to);
        values[slot] = ids;
        size++;
    }
}
