package dev.notebench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RangesTest {
    @Test
    void aValueInsideTheRangeIsReturnedAndOneOutsideIsRefusedNamingTheSettingAndTheRange() {
        assertEquals(1, Ranges.within("workers", 1, 1, 1024));
        assertEquals(1024, Ranges.within("workers", 1024, 1, 1024));
        assertEquals("workers 0 must be within 1..1024",
                assertThrows(IllegalArgumentException.class, () -> Ranges.within("workers", 0, 1, 1024)).getMessage());
        assertEquals("max attempts 21 must be within 1..20",
                assertThrows(IllegalArgumentException.class, () -> Ranges.within("max attempts", 21, 1, 20)).getMessage());
    }
}
