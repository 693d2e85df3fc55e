import dev.notebench.embed.local.LocalEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Sentences/s of Notebench's LocalEmbedder (DJL + ONNX Runtime, batched by length); see bench/embed-vs-langchain4j.sh. */
public class EmbedSpeedNotebench {
    public static void main(String[] args) throws Exception {
        List<String> sentences = Files.readAllLines(Path.of(args[0]));
        try (LocalEmbedder model = LocalEmbedder.load(Path.of(args[1]))) {
            model.embed(sentences.subList(0, 64)); // warm-up
            long t0 = System.nanoTime();
            List<float[]> all = model.embedAll(sentences); // similar lengths together, short texts many to a batch
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "notebench\t%d\t%.2f\t%.1f%n", sentences.size(), secs, sentences.size() / secs);
            write(Path.of(args[2]), all.subList(0, 100));
        }
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
