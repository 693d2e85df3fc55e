import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Sentences/s of langchain4j's own in-process runner for all-MiniLM-L6-v2; see bench/embed-vs-langchain4j.sh. */
public class EmbedSpeedLangchain4j {
    public static void main(String[] args) throws Exception {
        List<String> sentences = Files.readAllLines(Path.of(args[0]));
        AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        model.embedAll(sentences.subList(0, 64).stream().map(TextSegment::from).toList()); // warm-up
        long t0 = System.nanoTime();
        List<Embedding> all = model.embedAll(sentences.stream().map(TextSegment::from).toList()).content();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "langchain4j\t%d\t%.2f\t%.1f%n", sentences.size(), secs, sentences.size() / secs);
        write(Path.of(args[1]), all.subList(0, 100).stream().map(Embedding::vector).toList());
    }

    /** The first vectors, one per line, for comparing the two runners' outputs. */
    static void write(Path file, List<float[]> vectors) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (float[] v : vectors) {
            for (int i = 0; i < v.length; i++) {
                b.append(i == 0 ? "" : " ").append(v[i]);
            }
            b.append('\n');
        }
        Files.writeString(file, b.toString());
    }
}
