package dev.notebench.tokenize.shards;

import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.OutputGuard;
import dev.notebench.progress.Progress;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Encodes a corpus into a directory of token shards ({@link ShardManifest}), in parallel and
 * streaming: the corpus is cut by a fixed plan into pieces of about {@link Builder#shardBytes}
 * of text at line boundaries (a piece never spans two files), each thread encodes one piece at a
 * time into its shard, holding a block of text and its ids, never the corpus. The plan depends
 * only on the files and the shard size, so the shards are the same whatever the threads.
 *
 * <p>A run that is killed leaves its whole shards (a shard's file is moved into place only when
 * complete, then a small {@code shard-NNNNN.json} records it) and {@code plan.json}; a rerun with
 * the same corpus (paths, sizes, modification times), tokenizer and shard size encodes only the
 * shards that are missing. A rerun with anything changed is refused, naming what changed, rather
 * than mixing two corpora, unless the earlier run finished no shard (it stopped on bad input, say):
 * then it starts afresh. The manifest is written last; the plan and the records go with it.
 *
 * <pre>{@code
 * try (Tokenizer t = TokenizerArtifact.load(tok)) {
 *     CorpusEncoder.Result r = CorpusEncoder.builder(Corpus.of("datasets/**}{@code /*.txt"), t,
 *             Sha256.hex(tokFile), Path.of("build/ids")).threads(4).build().encode();
 * }
 * }</pre>
 */
public final class CorpusEncoder {
    /** The plan's name in a directory being written. */
    public static final String PLAN = "plan.json";
    private static final int BATCH_CHARS = 1 << 20;
    private static final int BATCH_LINES = 4096;

    private final Corpus corpus;
    private final Tokenizer tokenizer;
    private final String tokenizerSha256;
    private final Path out;
    private final int threads;
    private final long shardBytes;
    private final Progress progress;

    /**
     * What one call did.
     *
     * @param manifest the manifest written
     * @param encoded how many shards this call encoded
     * @param skipped how many were already whole
     * @param bytesEncoded how many bytes of text this call encoded
     * @param tokensEncoded how many tokens this call wrote
     */
    public record Result(ShardManifest manifest, int encoded, int skipped, long bytesEncoded, long tokensEncoded) {
    }

    /** One piece of the plan: bytes {@code [from, to)} of a corpus file. */
    private record Piece(int file, long from, long to) {
    }

    private CorpusEncoder(Builder b) {
        this.corpus = b.corpus;
        this.tokenizer = b.tokenizer;
        this.tokenizerSha256 = b.tokenizerSha256;
        this.out = b.out;
        this.threads = b.threads;
        this.shardBytes = b.shardBytes;
        this.progress = b.progress;
    }

    /**
     * Starts an encoder.
     *
     * @param corpus the corpus (every line; its holdout is ignored)
     * @param tokenizer the tokenizer (used from several threads)
     * @param tokenizerSha256 the SHA-256 of the tokenizer's file, recorded in the manifest
     * @param out the directory to write: new, empty, or one an earlier call with the same inputs began
     */
    public static Builder builder(Corpus corpus, Tokenizer tokenizer, String tokenizerSha256, Path out) {
        return new Builder(corpus, tokenizer, tokenizerSha256, out);
    }

    /**
     * Encodes what is missing and writes the manifest.
     *
     * @return what was done
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} for an empty corpus or text not
     *     in its encoding, {@link ErrorCode#CONFIG_INVALID} when {@code out} is or holds a corpus
     *     file, holds something else, or shards of another corpus, tokenizer or shard size
     */
    public Result encode() {
        OutputGuard.builder().inputs("--corpus", corpus.files()).outputDirectory("--out", out).build().check();
        ShardManifest planned = plan();
        List<Piece> pieces = pieces(planned);
        long total = planned.inputs().stream().mapToLong(ShardManifest.Input::bytes).sum();
        if (total == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the corpus " + corpus.spec() + " holds no text (its "
                    + corpus.files().size() + " file(s) are empty); give files with text");
        }
        Path manifestFile = out.resolve(ShardManifest.FILE);
        if (Files.exists(manifestFile)) {
            ShardManifest done = ShardManifest.read(out);
            refuseIfDifferent(done, planned, ShardManifest.FILE);
            return new Result(done, 0, done.shards().size(), 0, 0);
        }
        Path planFile = out.resolve(PLAN);
        if (Files.exists(planFile) && !nothingWhole()) {
            refuseIfDifferent(ShardManifest.read(planFile, out), planned, PLAN);
        } else if (Files.exists(planFile)) {
            planned.writeFile(planFile); // a run that stopped before its first shard (bad input, say) holds nothing to keep
        } else {
            refuseIfOccupied();
            planned.writeFile(planFile);
        }
        deleteTemporaries();

        ShardManifest.Shard[] shards = new ShardManifest.Shard[pieces.size()];
        List<Integer> todo = new ArrayList<>();
        long already = 0;
        for (int i = 0; i < pieces.size(); i++) {
            shards[i] = whole(i);
            if (shards[i] == null) {
                todo.add(i);
            } else {
                already += pieces.get(i).to() - pieces.get(i).from();
            }
        }
        progress.stage("encoding", total, "bytes", already);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, todo.size())), r -> {
            Thread t = new Thread(r, "notebench-encode");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ShardManifest.Shard>> running = new ArrayList<>();
            for (int i : todo) {
                running.add(pool.submit(() -> encodeShard(i, pieces.get(i), planned.dtype())));
            }
            for (int k = 0; k < todo.size(); k++) {
                shards[todo.get(k)] = get(running.get(k));
            }
        } finally {
            pool.shutdownNow();
        }

        List<ShardManifest.Shard> listed = new ArrayList<>();
        long firstLine = 1;
        for (int i = 0; i < shards.length; i++) {
            firstLine = i > 0 && pieces.get(i - 1).file() == pieces.get(i).file() ? firstLine : 1;
            ShardManifest.Shard s = shards[i];
            listed.add(new ShardManifest.Shard(s.file(), s.tokens(), s.source(), firstLine, s.lines()));
            firstLine += s.lines();
        }
        ShardManifest manifest = planned.withShards(listed);
        if (manifest.tokens() == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the corpus " + corpus.spec()
                    + " encodes to no tokens; give files with text");
        }
        manifest.write(out);
        try {
            for (int i = 0; i < shards.length; i++) {
                Files.deleteIfExists(out.resolve(record(i)));
            }
            Files.deleteIfExists(planFile);
        } catch (IOException e) {
            // the manifest is written: leftover records are harmless, a rerun finds the manifest first
        }
        return new Result(manifest, todo.size(), shards.length - todo.size(),
                todo.stream().mapToLong(i -> pieces.get(i).to() - pieces.get(i).from()).sum(),
                todo.stream().mapToLong(i -> shards[i].tokens()).sum());
    }

    private ShardManifest.Shard encodeShard(int index, Piece piece, TokenDtype dtype) {
        Path source = corpus.files().get(piece.file());
        long[] lines = new long[1];
        long tokens = ShardWriter.write(out.resolve(name(index)), dtype, w -> {
            List<String> batch = new ArrayList<>();
            int[] chars = new int[1];
            long[] reported = new long[1];
            Corpus.LineSink sink = (utf8, from, to) -> {
                batch.add(new String(utf8, from, to - from, StandardCharsets.UTF_8));
                chars[0] += to - from;
                if (chars[0] >= BATCH_CHARS || batch.size() >= BATCH_LINES) {
                    flush(batch, w);
                    progress.advance(chars[0]);
                    reported[0] += chars[0];
                    chars[0] = 0;
                }
            };
            lines[0] = corpus.readLines(piece.file(), piece.from(), piece.to(), sink);
            flush(batch, w);
            progress.advance(Math.max(0, piece.to() - piece.from() - reported[0]));
        });
        ShardManifest.Shard shard = new ShardManifest.Shard(name(index), tokens, source.toString(), 0, lines[0]);
        AtomicFiles.writeString(out.resolve(record(index)), ShardManifest.json(shard).toString());
        return shard;
    }

    private void flush(List<String> batch, ShardWriter w) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            w.addLines(tokenizer, batch);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        batch.clear();
    }

    /** The shard recorded as whole by an earlier call, or null. */
    private ShardManifest.Shard whole(int index) {
        try {
            ShardManifest.Shard s = ShardManifest.shard(com.google.gson.JsonParser.parseString(
                    Files.readString(out.resolve(record(index)), StandardCharsets.UTF_8)).getAsJsonObject());
            long size = Files.size(out.resolve(s.file()));
            return s.file().equals(name(index)) && size == s.tokens() * TokenDtype.forVocab(tokenizer.vocabSize()).bytes() ? s : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // a torn record: the shard is encoded again
        }
    }

    private ShardManifest plan() {
        List<ShardManifest.Input> inputs = new ArrayList<>();
        for (Path f : corpus.files()) {
            try {
                inputs.add(new ShardManifest.Input(f.toString(), Files.size(f), Files.getLastModifiedTime(f).toMillis()));
            } catch (IOException e) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read corpus file " + f + ": " + e.getMessage(), e);
            }
        }
        return new ShardManifest(tokenizerSha256, tokenizer.vocabSize(), TokenDtype.forVocab(tokenizer.vocabSize()), shardBytes,
                inputs, List.of());
    }

    /** Cuts every file at the first line end at or after each multiple of the shard size: the same cuts for the same files. */
    private List<Piece> pieces(ShardManifest plan) {
        List<Piece> pieces = new ArrayList<>();
        for (int f = 0; f < plan.inputs().size(); f++) {
            Path path = corpus.files().get(f);
            long size = plan.inputs().get(f).bytes();
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path)) {
                long from = 0;
                while (from < size) {
                    long to = from + shardBytes >= size ? size : lineEndAfter(ch, from + shardBytes - 1, size);
                    pieces.add(new Piece(f, from, to));
                    from = to;
                }
            } catch (IOException e) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read corpus file " + path + ": " + e.getMessage(), e);
            }
        }
        return pieces;
    }

    private static long lineEndAfter(java.nio.channels.FileChannel ch, long at, long size) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        long pos = at;
        while (pos < size) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                return size;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    return pos + i + 1;
                }
            }
            pos += n;
        }
        return size;
    }

    private void refuseIfDifferent(ShardManifest found, ShardManifest planned, String what) {
        String diff = null;
        if (!found.tokenizer().equals(planned.tokenizer())) {
            diff = "the tokenizer differs (sha256 " + found.tokenizer() + " there, " + planned.tokenizer() + " now)";
        } else if (found.shardBytes() != planned.shardBytes()) {
            diff = "the shard size differs (" + found.shardBytes() + " bytes there, " + planned.shardBytes() + " now)";
        } else if (!found.inputs().equals(planned.inputs())) {
            diff = "the corpus differs (" + inputDiff(found.inputs(), planned.inputs()) + ")";
        }
        if (diff != null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, out + " holds token shards of another encoding: " + diff
                    + " since its " + what + " was written; delete " + out + " to encode again, or give another --out");
        }
    }

    private static String inputDiff(List<ShardManifest.Input> was, List<ShardManifest.Input> now) {
        for (int i = 0; i < Math.min(was.size(), now.size()); i++) {
            ShardManifest.Input a = was.get(i);
            ShardManifest.Input b = now.get(i);
            if (!a.path().equals(b.path())) {
                return "file " + (i + 1) + " was " + a.path() + ", is " + b.path();
            }
            if (a.bytes() != b.bytes() || a.modified() != b.modified()) {
                return a.path() + " changed: " + a.bytes() + " bytes then, " + b.bytes() + " now"
                        + (a.bytes() == b.bytes() ? ", modified since" : "");
            }
        }
        return was.size() + " file(s) then, " + now.size() + " now";
    }

    /** Whether no shard is recorded whole; stray shard files of an unfinished run are deleted then. */
    private boolean nothingWhole() {
        try (Stream<Path> s = Files.list(out)) {
            List<Path> shards = s.filter(p -> p.getFileName().toString().matches("shard-\\d+\\.(bin|json)")).toList();
            if (shards.stream().anyMatch(p -> p.toString().endsWith(".json"))) {
                return false;
            }
            for (Path p : shards) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException e) {
            throw dev.notebench.files.FileErrors.of("list --out " + out, out, e);
        }
    }

    private void refuseIfOccupied() {
        try {
            Files.createDirectories(out);
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, out + " is not empty and holds no token shards;"
                            + " give a new or empty directory as --out");
                }
            }
        } catch (IOException e) {
            throw dev.notebench.files.FileErrors.of("create --out " + out, out, e);
        }
    }

    private void deleteTemporaries() {
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(".shard-") && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p); // a killed run's half shard
                }
            }
        } catch (IOException e) {
            throw dev.notebench.files.FileErrors.of("clean --out " + out, out, e);
        }
    }

    private static ShardManifest.Shard get(Future<ShardManifest.Shard> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotebenchException(ErrorCode.CANCELLED, "encoding the corpus was interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new NotebenchException(ErrorCode.INTERNAL, "encoding a shard failed: " + c, c);
        }
    }

    /** The file name of shard {@code index}. */
    static String name(int index) {
        return String.format(java.util.Locale.ROOT, "shard-%05d.bin", index);
    }

    private static String record(int index) {
        return String.format(java.util.Locale.ROOT, "shard-%05d.json", index);
    }

    /** Configures a {@link CorpusEncoder}. */
    public static final class Builder {
        private final Corpus corpus;
        private final Tokenizer tokenizer;
        private final String tokenizerSha256;
        private final Path out;
        private int threads = Runtime.getRuntime().availableProcessors();
        private long shardBytes = 16L << 20;
        private Progress progress = Progress.NONE;

        private Builder(Corpus corpus, Tokenizer tokenizer, String tokenizerSha256, Path out) {
            this.corpus = Objects.requireNonNull(corpus, "corpus");
            this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
            this.tokenizerSha256 = Objects.requireNonNull(tokenizerSha256, "tokenizerSha256");
            this.out = Objects.requireNonNull(out, "out");
        }

        /**
         * Sets how many shards are encoded at once.
         *
         * @param threads at least 1; the default is the number of cores
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.threads = threads;
            return this;
        }

        /**
         * Sets how much text (bytes of the files) one shard holds, cut at the next line end.
         *
         * @param shardBytes at least 1; the default is 16 MiB
         */
        public Builder shardBytes(long shardBytes) {
            if (shardBytes < 1) {
                throw new IllegalArgumentException("shardBytes must be at least 1");
            }
            this.shardBytes = shardBytes;
            return this;
        }

        /**
         * Sets where progress goes: one stage, {@code encoding}, in bytes of text.
         *
         * @param progress a bar; safe to call from several threads
         */
        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Returns the encoder. */
        public CorpusEncoder build() {
            return new CorpusEncoder(this);
        }
    }
}
