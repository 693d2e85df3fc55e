package dev.notebench.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void textBytesAndFileOfTheSameContentHaveTheStandardDigest(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("abc.txt"), "abc");
        assertEquals(ABC, Sha256.hex("abc"));
        assertEquals(ABC, Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(ABC, Sha256.hex(file));
    }

    @Test
    void aFieldEndsWithANulSoThatFieldsCannotRunTogether() {
        String ab = Sha256.hasher().field("a").text("b").hex();
        assertEquals(Sha256.hex("a\0b"), ab);
        assertEquals(false, ab.equals(Sha256.hasher().field("").text("ab").hex()));
        assertArrayEquals(HexFormat.of().parseHex(ab), Sha256.hasher().field("a").text("b").bytes());
    }
}
