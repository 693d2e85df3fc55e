package dev.notebench.files;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads text files the way every command does: UTF-8 only, and a file that is not UTF-8 is one
 * error naming the offset and line of the first bad byte, so the user can find it.
 *
 * <pre>{@code
 * String json = TextFiles.readUtf8(Path.of("tree.json"), "the tree");
 * }</pre>
 */
public final class TextFiles {
    private TextFiles() {
    }

    /**
     * Reads a whole file as UTF-8.
     *
     * @param file the file
     * @param what what the file is to the command ("the tree", "the corpus"), for messages
     * @return its text
     * @throws NotebenchException DATA_NOT_FOUND, ACCESS_DENIED, or DATA_INVALID for a directory or text that is not UTF-8
     */
    public static String readUtf8(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot read " + what + ": " + file + " is a directory; give a file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw FileErrors.of("read " + what, file, e);
        }
        return decodeUtf8(bytes, file, what);
    }

    /**
     * Decodes bytes as UTF-8.
     *
     * @param bytes the bytes
     * @param file the file they came from, for messages
     * @param what what the file is to the command, for messages
     * @return the text
     * @throws NotebenchException DATA_INVALID naming the offset and line of the first byte that is not UTF-8
     */
    public static String decodeUtf8(byte[] bytes, Path file, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw notUtf8(file, what, bytes, in.position());
        }
        r = decoder.flush(out);
        if (r.isError()) {
            throw notUtf8(file, what, bytes, in.position());
        }
        return out.flip().toString();
    }

    private static NotebenchException notUtf8(Path file, String what, byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return new NotebenchException(ErrorCode.DATA_INVALID, what + " " + file + " is not UTF-8: byte " + offset + " (line " + line
                + ") is not valid UTF-8; convert it, e.g. iconv -f cp1252 -t utf-8");
    }
}
