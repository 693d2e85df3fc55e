package dev.notebench.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
    @TempDir
    Path tmp;

    @Test
    void utf8IsReadWhole() throws Exception {
        Path f = Files.writeString(tmp.resolve("t.json"), "{\"name\": \"Löwe 🦁\"}");
        assertEquals("{\"name\": \"Löwe 🦁\"}", TextFiles.readUtf8(f, "the tree"));
    }

    @Test
    void latin1IsRefusedWithTheOffsetOfTheFirstBadByte() throws Exception {
        Path f = Files.write(tmp.resolve("t.json"), "{\"name\": \"Löwe\"}".getBytes(StandardCharsets.ISO_8859_1));
        NotebenchException e = assertThrows(NotebenchException.class, () -> TextFiles.readUtf8(f, "the tree"));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("the tree " + f + " is not UTF-8: byte 11 (line 1) is not valid UTF-8; convert it, e.g. iconv -f cp1252 -t utf-8",
                e.getMessage());
    }

    @Test
    void aTruncatedSequenceAtTheEndIsNotUtf8() throws Exception {
        Path f = Files.write(tmp.resolve("t.txt"), new byte[] {'a', '\n', (byte) 0xE2, (byte) 0x82});
        NotebenchException e = assertThrows(NotebenchException.class, () -> TextFiles.readUtf8(f, "the corpus"));
        assertEquals("the corpus " + f + " is not UTF-8: byte 2 (line 2) is not valid UTF-8; convert it, e.g. iconv -f cp1252 -t"
                + " utf-8", e.getMessage());
    }

    @Test
    void aMissingFileAndADirectoryAreNamedAsSuch() throws Exception {
        NotebenchException missing = assertThrows(NotebenchException.class, () -> TextFiles.readUtf8(tmp.resolve("no.json"), "the tree"));
        assertEquals(ErrorCode.DATA_NOT_FOUND, missing.code());
        assertEquals("cannot read the tree: " + tmp.resolve("no.json") + " does not exist", missing.getMessage());
        NotebenchException dir = assertThrows(NotebenchException.class, () -> TextFiles.readUtf8(tmp, "the tree"));
        assertEquals("cannot read the tree: " + tmp + " is a directory; give a file", dir.getMessage());
    }
}
