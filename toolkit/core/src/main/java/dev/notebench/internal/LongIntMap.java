package dev.notebench.internal;

import java.util.Arrays;

/**
 * An open-addressing map from long keys (never {@code Long.MIN_VALUE}) to int values, 0 when
 * absent: pair counts without boxing, for the BPE trainer's merges and the co-occurrence counter.
 * Not thread-safe.
 *
 * <pre>{@code
 * LongIntMap pairs = new LongIntMap(1 << 16);
 * pairs.increment((long) a << 32 | b);
 * pairs.forEach((pair, count) -> ...);
 * }</pre>
 */
public final class LongIntMap {
    private static final long EMPTY = Long.MIN_VALUE;

    /** Receives entries. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * Receives one entry.
         *
         * @param key the key
         * @param value its value
         */
        void visit(long key, int value);
    }

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    /** A map sized for about 512 entries before it first grows. */
    public LongIntMap() {
        this(512);
    }

    /**
     * A map sized for about {@code expected} entries before it first grows.
     *
     * @param expected the entries expected
     */
    public LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        values = new int[cap];
        mask = cap - 1;
    }

    /** The value of {@code key}, 0 when absent. */
    public int get(long key) {
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                return 0;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Adds 1 to the value of {@code key}. */
    public void increment(long key) {
        add(key, 1);
    }

    /** Adds {@code delta} to the value of {@code key} and returns the new value. */
    public int add(long key, int delta) {
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot] += delta;
            }
            if (k == EMPTY) {
                keys[slot] = key;
                values[slot] = delta;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return delta;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** How many keys the map holds. */
    public int size() {
        return size;
    }

    /** Visits every entry, in no particular order. */
    public void forEach(Visitor visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                visitor.visit(keys[i], values[i]);
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new int[keys.length];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(oldKeys[i]);
                while (keys[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
