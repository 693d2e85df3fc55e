package dev.notebench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests of texts, fields and files, in lower-case hex or as bytes: the content addresses
 * of caches, the fingerprints of jobs and the checksums of files.
 *
 * <pre>{@code
 * String key = Sha256.hasher().field(url).text(body).hex();   // url, a NUL, then the body
 * String sum = Sha256.hex("some text");
 *
 * Sha256.Hasher written = Sha256.hasher();
 * try (OutputStream out = written.wrap(Files.newOutputStream(file))) {
 *     out.write(bytes);
 * }
 * String checksum = written.hex();                             // of the bytes that went through
 * }</pre>
 */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    /** A new SHA-256 {@link MessageDigest} (every JVM has one). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Starts a digest fed field by field. */
    public static Hasher hasher() {
        return new Hasher();
    }

    /** The lower-case hex SHA-256 of a text's UTF-8 bytes. */
    public static String hex(String text) {
        return hasher().text(text).hex();
    }

    /** The lower-case hex SHA-256 of bytes. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(digest().digest(bytes));
    }

    /**
     * The lower-case hex SHA-256 of a file's bytes, read as a stream.
     *
     * @throws IOException when the file cannot be read
     */
    public static String hex(Path file) throws IOException {
        MessageDigest d = digest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
        }
        return HEX.formatHex(d.digest());
    }

    /** Feeds a digest with texts and bytes; {@link #field} ends a text with a NUL so that fields cannot run together. */
    public static final class Hasher {
        private final MessageDigest digest = digest();

        private Hasher() {
        }

        /** Adds a text's UTF-8 bytes. */
        public Hasher text(String text) {
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Adds a text's UTF-8 bytes and a NUL byte. */
        public Hasher field(String text) {
            text(text);
            digest.update((byte) 0);
            return this;
        }

        /** Adds bytes. */
        public Hasher bytes(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
            return this;
        }

        /**
         * An output stream that writes to {@code out} and adds every byte written to this digest,
         * so that a file's checksum is made while it is written.
         *
         * @param out where the bytes go; closed with the returned stream
         */
        public OutputStream wrap(OutputStream out) {
            return new DigestOutputStream(out, digest);
        }

        /**
         * An input stream that reads from {@code in} and adds every byte read to this digest, so
         * that a file's checksum is made while it is read.
         *
         * @param in where the bytes come from; closed with the returned stream
         */
        public InputStream wrap(InputStream in) {
            return new DigestInputStream(in, digest);
        }

        /** Ends the digest: its 32 bytes. */
        public byte[] bytes() {
            return digest.digest();
        }

        /** Ends the digest: its 64 lower-case hex digits. */
        public String hex() {
            return HEX.formatHex(digest.digest());
        }
    }
}
