package dev.notebench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LongIntMapTest {
    @Test
    void addReturnsTheNewValueAndAbsentKeysReadZero() {
        LongIntMap m = new LongIntMap(4);
        assertEquals(0, m.get(7));
        assertEquals(3, m.add(7, 3));
        assertEquals(1, m.add(-7, 1));
        assertEquals(5, m.add(7, 2));
        assertEquals(5, m.get(7));
        assertEquals(2, m.size());
    }

    @Test
    void growingPastTheExpectedSizeKeepsEveryCount() {
        LongIntMap m = new LongIntMap();
        for (long k = 0; k < 5000; k++) {
            for (int i = 0; i <= k % 3; i++) {
                m.increment(k << 32 | k);
            }
        }
        assertEquals(5000, m.size());
        Map<Long, Integer> seen = new TreeMap<>();
        m.forEach(seen::put);
        assertEquals(5000, seen.size());
        assertEquals(1, seen.get(0L));
        assertEquals(2, seen.get(1L << 32 | 1));
        assertEquals(3, seen.get(4997L << 32 | 4997));
        assertEquals(9999, seen.values().stream().mapToInt(Integer::intValue).sum()); // 1666 cycles of 1+2+3, then 1+2
    }
}
