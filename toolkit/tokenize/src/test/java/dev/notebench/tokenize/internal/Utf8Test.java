package dev.notebench.tokenize.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static int bad(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Utf8.firstInvalid(b, 0, b.length);
    }

    @Test
    void findsTheFirstByteThatIsNotWellFormed() {
        assertEquals(-1, Utf8.firstInvalid("aé日🎉".getBytes(StandardCharsets.UTF_8), 0, 10));
        assertEquals(1, bad('a', 0xE9, 'b'), "latin-1 é");
        assertEquals(0, bad(0xC0, 0xAF), "overlong");
        assertEquals(0, bad(0xED, 0xA0, 0x80), "surrogate");
        assertEquals(0, bad(0xF4, 0x90, 0x80, 0x80), "above U+10FFFF");
        assertEquals(2, bad('a', 'b', 0xE6, 0x97), "truncated at the end");
        assertEquals(0, bad(0x80), "lone continuation byte");
    }
}
