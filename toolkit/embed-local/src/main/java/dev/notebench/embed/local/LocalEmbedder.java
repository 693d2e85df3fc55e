package dev.notebench.embed.local;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.translator.TextEmbeddingTranslator;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.FileErrors;
import dev.notebench.embed.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * A local sentence-embedding model ({@link LocalModel}: all-MiniLM-L6-v2 by default, or
 * bge-small-en-v1.5) run offline on ONNX Runtime through DJL with DJL's Hugging Face tokenizer,
 * pooled and normalized as sentence-transformers computes it. The model and its
 * {@code tokenizer.json} come from the langchain4j model artifact on the classpath and are copied
 * once into a directory of their own; one loaded model serves every thread.
 *
 * <pre>{@code
 * try (LocalEmbedder model = LocalEmbedder.load(Path.of("build/models"))) {
 *     List<float[]> v = model.embedAll(List.of("a cat", "a dog"));
 * }
 * }</pre>
 */
public final class LocalEmbedder implements Embedder, AutoCloseable {
    private static final int TOKEN_SLOTS = 1024;
    private static final int MOST_TEXTS = 512;
    private final LocalModel which;
    private final ZooModel<String, float[]> model;

    private LocalEmbedder(LocalModel which, ZooModel<String, float[]> model) {
        this.which = which;
        this.model = model;
    }

    /**
     * Loads all-MiniLM-L6-v2, copying its files into {@code modelsDir/all-minilm-l6-v2/} the first time.
     *
     * @param modelsDir where models are unpacked, e.g. {@code ~/.cache/notebench/models}
     */
    public static LocalEmbedder load(Path modelsDir) {
        return load(LocalModel.ALL_MINILM_L6_V2, modelsDir);
    }

    /**
     * Loads a local model, copying its files into {@code modelsDir/<id>/} the first time.
     *
     * @param which the model
     * @param modelsDir where models are unpacked
     * @throws NotebenchException (DEPENDENCY_MISSING) naming the artifact to add when its files are not on the classpath
     */
    public static LocalEmbedder load(LocalModel which, Path modelsDir) {
        return load(which, modelsDir, 0);
    }

    /**
     * Loads a local model whose every call computes on at most {@code threads} threads (ONNX
     * Runtime's intra-op threads; one thread between operators), where several callers already
     * share the cores: a Spark executor's tasks, each given {@code spark.task.cpus} of them, or
     * threads that each embed their own share. ONNX Runtime's default, every core per call, makes
     * such callers contend for the same cores.
     *
     * @param which the model
     * @param modelsDir where models are unpacked
     * @param threads the threads of one call; 0 for ONNX Runtime's default (the cores)
     * @throws NotebenchException (DEPENDENCY_MISSING) naming the artifact to add when its files are not on the classpath
     */
    public static LocalEmbedder load(LocalModel which, Path modelsDir, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (the cores) or more, not " + threads);
        }
        Path dir = modelsDir.resolve(which.id());
        try {
            Files.createDirectories(dir);
            copyOnce(which, which.onnxResource(), dir.resolve("model.onnx"));
            copyOnce(which, which.tokenizerResource(), dir.resolve("tokenizer.json"));
        } catch (IOException e) {
            // the files are there to unpack, the directory refuses them: say so, with the setting that moves it
            NotebenchException cause = FileErrors.of("unpack the local embedding model " + which.id() + " into " + dir, dir, e);
            throw new NotebenchException(cause.code(), cause.getMessage() + " (set NOTEBENCH_MODELS to a writable directory)", e);
        }
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                    Map.of("padding", "true", "truncation", "true", "maxLength", "256"));
            TextEmbeddingTranslator translator = TextEmbeddingTranslator.builder(tokenizer)
                    .optPoolingMode(which.pooling()).optNormalize(true).optIncludeTokenTypes(true).build();
            Criteria.Builder<String, float[]> criteria = Criteria.builder().setTypes(String.class, float[].class)
                    .optModelPath(dir).optModelName("model").optEngine("OnnxRuntime").optTranslator(translator);
            if (threads > 0) {
                criteria = criteria.optOption("intraOpNumThreads", String.valueOf(threads)).optOption("interOpNumThreads", "1");
            }
            return new LocalEmbedder(which, criteria.build().loadModel());
        } catch (IOException | ai.djl.ModelException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING, "cannot load the local embedding model " + which.id()
                    + " from " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void copyOnce(LocalModel which, String resource, Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            return;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : LocalEmbedder.class.getClassLoader();
        InputStream found = loader.getResourceAsStream(resource);
        if (found == null) {
            found = LocalEmbedder.class.getClassLoader().getResourceAsStream(resource);
        }
        try (InputStream in = found) {
            if (in == null) {
                throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING, "cannot load the local embedding model " + which.id()
                        + ": " + resource + " is not on the classpath; it needs " + which.artifact() + " (in a notebook: %maven "
                        + which.artifact() + ")");
            }
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Which model this is. */
    public LocalModel model() {
        return which;
    }

    @Override
    public String id() {
        return which.id();
    }

    @Override
    public int dimension() {
        return which.dimension();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        try (Predictor<String, float[]> p = model.newPredictor()) {
            return p.batchPredict(texts);
        } catch (TranslateException e) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the local embedding model " + which.id() + " failed on a batch of "
                    + texts.size() + " texts: " + e.getMessage(), e);
        }
    }

    /**
     * Short texts go many to a call: about {@value #TOKEN_SLOTS} padded token positions a batch
     * (a text's tokens estimated from its characters), from {@link #batchSize()} up to
     * {@value #MOST_TEXTS} texts. Ten thousand single words embed 1.25× faster than in batches of
     * 32 (BENCHMARKS.md); sentences of 25 tokens keep batches of about 32.
     */
    @Override
    public int batchSize(int chars) {
        int tokens = chars / 4 + 2; // about 4 characters a word piece, plus [CLS] and [SEP]
        return Math.max(batchSize(), Math.min(MOST_TEXTS, TOKEN_SLOTS / tokens));
    }

    @Override
    public void close() {
        model.close();
    }
}
