package dev.notebench.tokenize.internal;

import java.util.Arrays;

/**
 * Counts distinct byte strings (words) without making a Java object per word: keys live in one
 * byte arena, the table is open addressing over int arrays. Memory grows with the number of
 * distinct words, never with the amount of text counted. Not thread-safe: one per thread, then
 * {@link #addAll}.
 */
public final class WordCounts {
    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private int[] keyStart = new int[1024];
    private int[] keyLength = new int[1024];
    private int[] keyHash = new int[1024];
    private long[] counts = new long[1024];
    private int size;
    private int[] table = new int[2048]; // index + 1 of the key in each slot; 0 = empty
    private int mask = table.length - 1;

    /** Returns the number of distinct words. */
    public int size() {
        return size;
    }

    /** Adds one occurrence of {@code bytes[from, to)}. */
    public void add(byte[] bytes, int from, int to) {
        add(bytes, from, to, 1);
    }

    /** Adds {@code n} occurrences of {@code bytes[from, to)}. */
    public void add(byte[] bytes, int from, int to, long n) {
        int h = hash(bytes, from, to);
        int len = to - from;
        int slot = h & mask;
        while (true) {
            int k = table[slot];
            if (k == 0) {
                insert(slot, h, bytes, from, len, n);
                return;
            }
            k--;
            if (keyHash[k] == h && keyLength[k] == len
                    && Arrays.equals(arena, keyStart[k], keyStart[k] + len, bytes, from, to)) {
                counts[k] += n;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Adds every word of {@code other} with its count. */
    public void addAll(WordCounts other) {
        for (int k = 0; k < other.size; k++) {
            add(other.arena, other.keyStart[k], other.keyStart[k] + other.keyLength[k], other.counts[k]);
        }
    }

    /** Returns how often word {@code k} (0 ≤ k < size) was added. */
    public long count(int k) {
        return counts[k];
    }

    /** Returns the bytes of word {@code k}. */
    public byte[] word(int k) {
        return Arrays.copyOfRange(arena, keyStart[k], keyStart[k] + keyLength[k]);
    }

    /** Returns the length in bytes of word {@code k}. */
    public int length(int k) {
        return keyLength[k];
    }

    /** Returns byte {@code i} of word {@code k}. */
    public int byteAt(int k, int i) {
        return arena[keyStart[k] + i] & 0xFF;
    }

    /** Returns the bytes held, for memory accounting. */
    public long footprintBytes() {
        return arena.length + 24L * keyStart.length + 4L * table.length;
    }

    private void insert(int slot, int h, byte[] bytes, int from, int len, long n) {
        if (arenaUsed + len > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + len));
        }
        System.arraycopy(bytes, from, arena, arenaUsed, len);
        if (size == keyStart.length) {
            int cap = size * 2;
            keyStart = Arrays.copyOf(keyStart, cap);
            keyLength = Arrays.copyOf(keyLength, cap);
            keyHash = Arrays.copyOf(keyHash, cap);
            counts = Arrays.copyOf(counts, cap);
        }
        keyStart[size] = arenaUsed;
        keyLength[size] = len;
        keyHash[size] = h;
        counts[size] = n;
        arenaUsed += len;
        size++;
        table[slot] = size;
        if (size * 2 > table.length) {
            rehash();
        }
    }

    private void rehash() {
        table = new int[table.length * 2];
        mask = table.length - 1;
        for (int k = 0; k < size; k++) {
            int slot = keyHash[k] & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = k + 1;
        }
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0x9E3779B9 ^ (to - from);
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
