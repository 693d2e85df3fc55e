package dev.notebench.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    void bytesWrittenAndReadThroughAWrappedStreamAreDigestedOnTheirWay(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("abc.txt");
        Sha256.Hasher written = Sha256.hasher();
        try (OutputStream out = written.wrap(Files.newOutputStream(file))) {
            out.write("ab".getBytes(StandardCharsets.US_ASCII));
            out.write('c');
        }
        assertEquals(ABC, written.hex());
        assertEquals("abc", Files.readString(file));
        Sha256.Hasher read = Sha256.hasher();
        try (InputStream in = read.wrap(Files.newInputStream(file))) {
            assertEquals('a', in.read());
            in.transferTo(OutputStream.nullOutputStream());
        }
        assertEquals(ABC, read.hex());
    }

    @Test
    void aFieldEndsWithANulSoThatFieldsCannotRunTogether() {
        String ab = Sha256.hasher().field("a").text("b").hex();
        assertEquals(Sha256.hex("a\0b"), ab);
        assertEquals(false, ab.equals(Sha256.hasher().field("").text("ab").hex()));
        assertArrayEquals(HexFormat.of().parseHex(ab), Sha256.hasher().field("a").text("b").bytes());
    }
}
