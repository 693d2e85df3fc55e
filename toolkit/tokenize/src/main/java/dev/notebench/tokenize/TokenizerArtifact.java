package dev.notebench.tokenize;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.files.FileErrors;
import dev.notebench.files.OutputGuard;
import dev.notebench.tokenize.internal.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A trained tokenizer on disk: a directory with the tokenizer file ({@code tokenizer.json},
 * {@code chars.json} or {@code spm.model}) and {@code manifest.json} (the configuration, the
 * corpus fingerprint and sizes, holdout statistics, timings and library versions).
 *
 * <pre>{@code
 * TokenizerArtifact a = TokenizerArtifact.train(
 *         TrainSpec.defaults(TrainSpec.Kind.BPE, "datasets/sotu/sotu-sample.txt", Path.of("runs/tok")),
 *         TrainingListener.NONE, System.getenv());   // the environment, read at the application's edge
 * a.stats().ifPresent(s -> System.out.println(s.table()));
 * try (Tokenizer t = TokenizerArtifact.load(Path.of("runs/tok"))) { ... }
 * }</pre>
 */
public final class TokenizerArtifact {
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** A byte-level BPE's file. */
    public static final String TOKENIZER_JSON = "tokenizer.json";
    /** A char tokenizer's file. */
    public static final String CHARS_JSON = "chars.json";
    /** A SentencePiece model's file. */
    public static final String SPM_MODEL = "spm.model";

    private final Path directory;
    private final String manifestJson;
    private final HoldoutStats stats;
    private final int vocabSize;

    private TokenizerArtifact(Path directory, String manifestJson, HoldoutStats stats, int vocabSize) {
        this.directory = directory;
        this.manifestJson = manifestJson;
        this.stats = stats;
        this.vocabSize = vocabSize;
    }

    /**
     * Trains a tokenizer and writes its artifact directory (replacing an earlier artifact there).
     *
     * @param spec what to train on and how
     * @param listener hears progress
     * @param environment the application's environment, read at its edge (the CLI, the kernel):
     *     where a SentencePiece training finds {@code spm_train} ({@link SentencePieceTrainer#findSpmTrain(Map)});
     *     {@code Map.of()} for byte-level BPE and char tokenizers, which need nothing from it
     * @return the artifact
     */
    public static TokenizerArtifact train(TrainSpec spec, TrainingListener listener, Map<String, String> environment) {
        long t0 = System.nanoTime();
        Corpus corpus = spec.openCorpus();
        Path out = spec.out().toAbsolutePath().normalize();
        checkOut(out);
        OutputGuard.builder().inputs("--corpus", corpus.files()).outputDirectory("--out", spec.out()).build().check();
        Path staging = out.resolveSibling("." + out.getFileName() + ".training");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            Map<String, Object> trained = new LinkedHashMap<>();
            List<String> holdout;
            CorpusSummary summary;
            Path file;
            int vocab;
            switch (spec.kind()) {
                case BPE -> {
                    BpeTraining t = BpeTrainer.builder(spec.vocabSize()).minFrequency(spec.minFrequency())
                            .specialTokens(spec.specialTokens()).threads(spec.threads()).listener(listener).build().train(corpus);
                    t.model().save(staging.resolve(TOKENIZER_JSON));
                    holdout = t.holdout();
                    summary = t.corpus();
                    trained.put("file", TOKENIZER_JSON);
                    trained.put("merges", t.model().merges().size());
                    trained.put("counting_ms", t.counting().toMillis());
                    trained.put("merging_ms", t.merging().toMillis());
                    file = staging.resolve(TOKENIZER_JSON);
                    vocab = t.model().vocabSize();
                }
                case CHAR -> {
                    CharTokenizer.CharTraining t = CharTokenizer.train(corpus, spec.vocabSize(), spec.minFrequency(), listener);
                    t.tokenizer().save(staging.resolve(CHARS_JSON));
                    holdout = t.holdout();
                    summary = t.corpus();
                    trained.put("file", CHARS_JSON);
                    trained.put("training_ms", t.time().toMillis());
                    file = staging.resolve(CHARS_JSON);
                    vocab = t.tokenizer().vocabSize();
                }
                case SENTENCEPIECE -> {
                    SentencePieceTrainer.Result t = SentencePieceTrainer.train(spec, corpus, staging.resolve(SPM_MODEL), environment,
                            listener);
                    holdout = t.holdout();
                    summary = t.corpus();
                    trained.put("file", SPM_MODEL);
                    trained.put("training_ms", t.time().toMillis());
                    trained.put("spm_train", t.command());
                    file = staging.resolve(SPM_MODEL);
                    vocab = SentencePieceTokenizer.countPieces(Files.readAllBytes(file));
                }
                default -> throw new IllegalStateException("unknown kind " + spec.kind());
            }
            HoldoutStats stats = null;
            if (!holdout.isEmpty()) { // loading the tokenizer (native code) only when there is text to measure
                try (Tokenizer tokenizer = load(file)) {
                    stats = HoldoutStats.compute(tokenizer, holdout, 10);
                }
            }
            trained.put("vocab_size", vocab);
            String manifest = manifest(spec, corpus, summary, trained, stats, Duration.ofNanos(System.nanoTime() - t0));
            Files.writeString(staging.resolve(MANIFEST), manifest, StandardCharsets.UTF_8);
            deleteTree(out);
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            return new TokenizerArtifact(out, manifest, stats, vocab);
        } catch (IOException e) {
            throw FileErrors.of("write the tokenizer to --out " + out, out, e);
        } finally {
            try {
                deleteTree(staging);
            } catch (IOException ignored) {
                // a stale staging directory is replaced by the next run
            }
        }
    }

    /**
     * Loads the tokenizer of an artifact directory, or a bare {@code tokenizer.json},
     * {@code chars.json} or SentencePiece {@code .model} file. A {@code tokenizer.json} is encoded
     * by {@link BpeEncoder} when it supports every component, else by {@link HfTokenizer} (DJL).
     *
     * @param path the directory or file
     * @return the tokenizer; close it
     */
    public static Tokenizer load(Path path) {
        Path file = file(path);
        String name = file.getFileName().toString();
        if (name.endsWith(".model")) {
            return SentencePieceTokenizer.load(file);
        }
        if (name.equals(CHARS_JSON)) {
            return CharTokenizer.load(file);
        }
        return BpeEncoder.load(file, false);
    }

    /**
     * The file {@link #load} reads for a path: the path itself, or the tokenizer file of an
     * artifact directory. Its SHA-256 identifies the tokenizer (in token shards, in a run).
     *
     * @param path the directory or file
     * @return the file
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} or {@link ErrorCode#DATA_INVALID}
     *     when there is none
     */
    public static Path file(Path path) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!Files.isDirectory(path)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND,
                    "tokenizer " + path + " does not exist; train one with " + FrontEnd.command("tokenizer train"));
        }
        for (String f : List.of(TOKENIZER_JSON, CHARS_JSON, SPM_MODEL)) {
            if (Files.isRegularFile(path.resolve(f))) {
                return path.resolve(f);
            }
        }
        throw new NotebenchException(ErrorCode.DATA_INVALID, path + " has no " + TOKENIZER_JSON + ", " + CHARS_JSON
                + " or " + SPM_MODEL + "; is it a tokenizer directory?");
    }

    /** Returns the directory. */
    public Path directory() {
        return directory;
    }

    /** Returns the manifest's JSON text. */
    public String manifestJson() {
        return manifestJson;
    }

    /** Returns the holdout statistics, when something was held out. */
    public Optional<HoldoutStats> stats() {
        return Optional.ofNullable(stats);
    }

    /** Returns the vocabulary size reached. */
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public String toString() {
        return "tokenizer artifact " + directory + " (vocab " + vocabSize + ")";
    }

    private static String manifest(TrainSpec spec, Corpus corpus, CorpusSummary summary, Map<String, Object> trained,
                                   HoldoutStats stats, Duration total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "notebench-tokenizer/1");
        m.put("kind", spec.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("created", Instant.now().toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("vocab_size", spec.vocabSize());
        config.put("min_frequency", spec.minFrequency());
        config.put("special_tokens", spec.specialTokens());
        config.put("normalization", spec.normalization().name().toLowerCase(java.util.Locale.ROOT));
        config.put("lowercase", spec.lowercase());
        Map<String, Object> holdout = new LinkedHashMap<>();
        holdout.put("fraction", spec.holdout().fraction());
        holdout.put("unit", spec.holdout().unit().name().toLowerCase(java.util.Locale.ROOT));
        holdout.put("seed", spec.holdout().seed());
        config.put("holdout", holdout);
        config.put("encoding", spec.encoding());
        config.put("errors", spec.errors().name().toLowerCase(java.util.Locale.ROOT));
        config.put("threads", spec.threads());
        m.put("config", config);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("spec", corpus.spec());
        List<Map<String, Object>> files = new ArrayList<>();
        for (Path f : corpus.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.toString());
            file.put("bytes", sizeOf(f));
            files.add(file);
        }
        c.put("files", files);
        c.put("bytes", summary.bytes());
        c.put("lines", summary.lines());
        c.put("train_lines", summary.trainLines());
        c.put("holdout_lines", summary.holdoutLines());
        c.put(spec.kind() == TrainSpec.Kind.CHAR ? "distinct_chars" : "distinct_words", summary.distinctWords());
        c.put("sha256", summary.sha256());
        m.put("corpus", c);
        m.put("tokenizer", trained);
        m.put("holdout_stats", stats == null ? null : stats.toMap());
        m.put("total_ms", total.toMillis());
        m.put("versions", versions());
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(m) + "\n";
    }

    static Map<String, Object> versions() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("notebench", Versions.get("notebench"));
        v.put("djl_tokenizers", Versions.get("djl"));
        v.put("java", Runtime.version().toString());
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return v;
    }

    /**
     * Reads a manifest.
     *
     * @param dir an artifact directory
     * @return the manifest
     */
    public static JsonObject readManifest(Path dir) {
        try {
            return JsonParser.parseString(Files.readString(dir.resolve(MANIFEST), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, dir + " has no readable " + MANIFEST + ": " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void checkOut(Path out) {
        if (Files.isRegularFile(out)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--out " + out + " is a file; give a directory for the tokenizer");
        }
        if (Files.isDirectory(out) && !Files.exists(out.resolve(MANIFEST))) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--out " + out
                            + " already has files and is not a tokenizer directory; choose an empty or new directory");
                }
            } catch (IOException e) {
                throw FileErrors.of("list --out " + out, out, e);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
