package dev.notebench.tokenize.internal;

import java.util.Arrays;

/**
 * An immutable-after-building map from byte strings to ints (a vocabulary's tokens as bytes to their
 * ids), looked up by a range of a buffer without copying it. Reads are thread-safe once built.
 */
public final class BytesIntMap {
    private byte[] arena = new byte[1 << 12];
    private int arenaSize;
    private int[] starts = new int[16];
    private int[] lengths = new int[16];
    private int[] values = new int[16];
    private int size;
    private int[] slots;
    private int mask;

    /**
     * A map for about {@code expected} entries.
     *
     * @param expected the entries expected
     */
    public BytesIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new int[cap];
        Arrays.fill(slots, -1);
        mask = cap - 1;
    }

    /** Returns the hash of {@code b[from, to)}, as this map and {@link PieceCache} compute it. */
    public static int hash(byte[] b, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }

    /**
     * Maps a byte string to a value, keeping the first value of a key put twice.
     *
     * @param key the bytes (copied)
     * @param value the value
     */
    public void putIfAbsent(byte[] key, int value) {
        if (find(key, 0, key.length) >= 0) {
            return;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        while (arenaSize + key.length > arena.length) {
            arena = Arrays.copyOf(arena, arena.length * 2);
        }
        System.arraycopy(key, 0, arena, arenaSize, key.length);
        starts[size] = arenaSize;
        lengths[size] = key.length;
        values[size] = value;
        arenaSize += key.length;
        insert(size, hash(key, 0, key.length));
        size++;
    }

    /** Returns the value of {@code b[from, to)}, or -1 when absent. */
    public int get(byte[] b, int from, int to) {
        int e = find(b, from, to);
        return e < 0 ? -1 : values[e];
    }

    private int find(byte[] b, int from, int to) {
        int slot = hash(b, from, to) & mask;
        int n = to - from;
        while (true) {
            int e = slots[slot];
            if (e < 0) {
                return -1;
            }
            if (lengths[e] == n && Arrays.equals(arena, starts[e], starts[e] + n, b, from, to)) {
                return e;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void insert(int entry, int hash) {
        int slot = hash & mask;
        while (slots[slot] >= 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = entry;
    }

    private void grow() {
        slots = new int[slots.length * 2];
        Arrays.fill(slots, -1);
        mask = slots.length - 1;
        for (int e = 0; e < size; e++) {
            insert(e, hash(arena, starts[e], starts[e] + lengths[e]));
        }
    }
}
