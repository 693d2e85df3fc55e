package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The text a tokenizer is trained on: a file, a directory (every regular file below it, in path
 * order) or a glob such as {@code datasets/**}{@code /*.txt}, read line by line (each line keeps its
 * {@code \n}, as Hugging Face's trainer reads files), optionally normalized, with a seeded holdout.
 *
 * <pre>{@code
 * Corpus corpus = Corpus.builder("datasets/sotu/sotu-sample.txt")
 *         .normalization(Normalization.NFC)
 *         .holdout(Holdout.lines(0.05, 42))
 *         .build();
 * }</pre>
 */
public final class Corpus {
    /** What to do with bytes that are not valid in the corpus encoding. */
    public enum Errors {
        /** Stop with an error naming the file and byte offset. */
        STRICT,
        /** Replace them with U+FFFD. */
        REPLACE
    }

    private final String spec;
    private final List<Path> files;
    private final Charset encoding;
    private final Errors errors;
    private final Normalization normalization;
    private final boolean lowercase;
    private final Holdout holdout;

    private Corpus(Builder b) {
        this.spec = b.spec;
        this.files = resolve(b.spec);
        this.encoding = b.encoding;
        this.errors = b.errors;
        this.normalization = b.normalization;
        this.lowercase = b.lowercase;
        this.holdout = b.holdout;
    }

    /**
     * Starts a corpus.
     *
     * @param spec a file, a directory or a glob ({@code *}, {@code **}, {@code ?}, {@code [..]}, {@code {a,b}})
     */
    public static Builder builder(String spec) {
        return new Builder(spec);
    }

    /**
     * A UTF-8 corpus, not normalized, nothing held out.
     *
     * @param spec a file, a directory or a glob
     */
    public static Corpus of(String spec) {
        return builder(spec).build();
    }

    /** Returns what the corpus was given as. */
    public String spec() {
        return spec;
    }

    /** Returns the files, in the order they are read. */
    public List<Path> files() {
        return files;
    }

    /** Returns the encoding of the files. */
    public Charset encoding() {
        return encoding;
    }

    /** Returns what happens to malformed bytes. */
    public Errors errors() {
        return errors;
    }

    /** Returns the normalization. */
    public Normalization normalization() {
        return normalization;
    }

    /** Returns whether text is lowercased. */
    public boolean lowercase() {
        return lowercase;
    }

    /** Returns what is held out. */
    public Holdout holdout() {
        return holdout;
    }

    /** Returns whether lines go to the trainer as read: UTF-8, strict, not normalized. */
    boolean rawUtf8() {
        return encoding.equals(StandardCharsets.UTF_8) && errors == Errors.STRICT
                && normalization == Normalization.NONE && !lowercase;
    }

    /**
     * Reads every line of the corpus (holdout ignored), decoded, checked and normalized as for
     * training, each with its {@code \n}: the text to measure a trained tokenizer on.
     *
     * @return the lines, in corpus order
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} for text not in the encoding
     */
    public List<String> readLines() {
        List<String> lines = new ArrayList<>();
        CorpusScan.scan(withHoldout(Holdout.NONE), 1, (read, total) -> { },
                () -> (utf8, from, to) -> lines.add(new String(utf8, from, to - from, StandardCharsets.UTF_8)));
        return lines;
    }

    /** Takes lines of a corpus as UTF-8 bytes, to be copied before the call returns. */
    @FunctionalInterface
    public interface LineSink {
        /**
         * One line of UTF-8 text, with its {@code \n} if it had one.
         *
         * @param utf8 the buffer (reused: copy what is kept)
         * @param from where the line starts
         * @param to where it ends
         */
        void line(byte[] utf8, int from, int to);
    }

    /**
     * Reads the lines in a byte range of one file of the corpus (holdout ignored), decoded, checked
     * and normalized as for training, a block at a time: memory holds about a megabyte (or one
     * longer line), whatever the range. Readers that split a corpus into pieces read each with this.
     *
     * @param file the file's index in {@link #files()}
     * @param from the byte where a line starts
     * @param to the byte after the range's last line (a line start, or the file's size)
     * @param sink takes each line, in order
     * @return how many lines the range held
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} for text not in the encoding,
     *     naming the file and the byte
     */
    public long readLines(int file, long from, long to, LineSink sink) {
        Objects.checkIndex(file, files.size());
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad byte range [" + from + ", " + to + ")");
        }
        return CorpusScan.readRange(this, file, from, to, sink::line);
    }

    /** Returns a copy with another holdout. */
    public Corpus withHoldout(Holdout h) {
        return toBuilder().holdout(h).build();
    }

    private Builder toBuilder() {
        return new Builder(spec).encoding(encoding).errors(errors).normalization(normalization)
                .lowercase(lowercase).holdout(holdout);
    }

    static List<Path> resolve(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBlank()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "no corpus given; pass a file, a directory or a glob such as datasets/**/*.txt");
        }
        boolean glob = spec.indexOf('*') >= 0 || spec.indexOf('?') >= 0 || spec.indexOf('[') >= 0 || spec.indexOf('{') >= 0;
        try {
            if (!glob) {
                Path p = Path.of(spec);
                if (Files.isRegularFile(p)) {
                    return List.of(p);
                }
                if (Files.isDirectory(p)) {
                    return regularFilesUnder(p, null);
                }
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND,
                        "corpus " + spec + " does not exist (looked in " + Path.of("").toAbsolutePath()
                                + "); pass an existing file, directory or glob");
            }
            int cut = 0;
            for (int i = 0; i < spec.length(); i++) {
                char c = spec.charAt(i);
                if (c == '*' || c == '?' || c == '[' || c == '{') {
                    break;
                }
                if (c == '/') {
                    cut = i + 1;
                }
            }
            Path root = cut == 0 ? Path.of("") : Path.of(spec.substring(0, cut));
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + spec);
            List<Path> found = Files.isDirectory(root.toString().isEmpty() ? Path.of(".") : root)
                    ? regularFilesUnder(root.toString().isEmpty() ? Path.of(".") : root, m) : List.of();
            if (found.isEmpty()) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND,
                        "no file matches the corpus glob " + spec + " (looked in " + Path.of("").toAbsolutePath() + ")");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus " + spec, e);
        }
    }

    private static List<Path> regularFilesUnder(Path dir, PathMatcher matcher) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> dir.toString().equals(".") ? dir.relativize(p) : p)
                    .filter(p -> matcher == null || matcher.matches(p))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .forEach(out::add);
        }
        if (out.isEmpty() && matcher == null) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "corpus directory " + dir + " has no files");
        }
        return out;
    }

    /** Configures a {@link Corpus}. */
    public static final class Builder {
        private final String spec;
        private Charset encoding = StandardCharsets.UTF_8;
        private Errors errors = Errors.STRICT;
        private Normalization normalization = Normalization.NONE;
        private boolean lowercase;
        private Holdout holdout = Holdout.NONE;

        private Builder(String spec) {
            this.spec = spec;
        }

        /**
         * Sets the files' encoding (an ASCII-compatible one: lines are split at byte {@code \n}).
         *
         * @param encoding e.g. {@code ISO-8859-1}, {@code windows-1252}
         */
        public Builder encoding(Charset encoding) {
            this.encoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        /**
         * Sets the encoding by name.
         *
         * @param name e.g. {@code latin1}
         * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} for an unknown name
         */
        public Builder encoding(String name) {
            try {
                return encoding(Charset.forName(name));
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                        "unknown encoding '" + name + "'; use a Java charset name such as UTF-8, ISO-8859-1 or windows-1252");
            }
        }

        /**
         * Sets what happens to malformed bytes.
         *
         * @param errors strict (the default) or replace
         */
        public Builder errors(Errors errors) {
            this.errors = Objects.requireNonNull(errors, "errors");
            return this;
        }

        /**
         * Sets the Unicode normalization.
         *
         * @param normalization none (the default), NFC or NFKC
         */
        public Builder normalization(Normalization normalization) {
            this.normalization = Objects.requireNonNull(normalization, "normalization");
            return this;
        }

        /**
         * Lowercases the text.
         *
         * @param lowercase whether to
         */
        public Builder lowercase(boolean lowercase) {
            this.lowercase = lowercase;
            return this;
        }

        /**
         * Sets what is held out of training.
         *
         * @param holdout lines or files, a fraction and a seed
         */
        public Builder holdout(Holdout holdout) {
            this.holdout = Objects.requireNonNull(holdout, "holdout");
            return this;
        }

        /**
         * Resolves the files.
         *
         * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when nothing matches
         */
        public Corpus build() {
            return new Corpus(this);
        }
    }
}
