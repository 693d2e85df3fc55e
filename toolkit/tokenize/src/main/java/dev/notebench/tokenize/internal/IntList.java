package dev.notebench.tokenize.internal;

import java.util.Arrays;

/** A growable list of ints. */
final class IntList {
    int[] items;
    int size;

    IntList(int capacity) {
        items = new int[Math.max(1, capacity)];
    }

    void add(int v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    int last() {
        return items[size - 1];
    }

    int[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
