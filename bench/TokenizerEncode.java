import dev.notebench.tokenize.BpeEncoder;
import dev.notebench.tokenize.HfTokenizer;
import dev.notebench.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;

/**
 * Encoding throughput of a tokenizer.json in Java: Notebench's {@code BpeEncoder} ({@code ours}) or
 * DJL's HuggingFaceTokenizer ({@code djl}, whose Rust threads follow RAYON_NUM_THREADS). The corpus
 * is cut at each LF (kept), encoded in batches of 8,192 lines after one untimed pass over the first
 * three batches by another instance (the JIT is warm, the new instance's caches are cold); prints one
 * JSON line, and with SAMPLE_OUT the ids of about 2,000 lines evenly spaced (bench/tokenizer_encode.py
 * does the same for HF tokenizers and tiktoken; bench/tokenizer-encode.sh compares them).
 *
 *   java -cp "cli/target/notebench-cli.jar:cli/target/lib/*" bench/TokenizerEncode.java TOKENIZER CORPUS THREADS ours|djl [SAMPLE_OUT]
 */
public class TokenizerEncode {
    static final int BATCH = 8192;

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        List<String> lines = lines(Path.of(args[1]));
        int threads = Integer.parseInt(args[2]);
        String which = args[3];
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += BATCH) {
            batches.add(lines.subList(i, Math.min(lines.size(), i + BATCH)));
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try (Tokenizer warm = load(which, file)) {
            for (int b = 0; b < Math.min(3, batches.size()); b++) {
                encode(warm, pool, batches.get(b));
            }
        }
        try (Tokenizer t = load(which, file)) {
            try {
                long tokens = 0;
                long t0 = System.nanoTime();
                for (List<String> batch : batches) {
                    for (int[] ids : encode(t, pool, batch)) {
                        tokens += ids.length;
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "{\"encoder\": \"%s\", \"threads\": %d, \"lines\": %d, \"tokens\": %d, \"seconds\": %.3f,"
                        + " \"tokens_per_second\": %.0f}%n", which, threads, lines.size(), tokens, seconds, tokens / seconds);
                if (args.length > 4) {
                    StringBuilder out = new StringBuilder("[");
                    for (int i = 0; i < lines.size(); i += Math.max(1, lines.size() / 2000)) {
                        out.append(i == 0 ? "" : ",").append(java.util.Arrays.toString(t.encode(lines.get(i))));
                    }
                    Files.writeString(Path.of(args[4]), out.append("]\n"), StandardCharsets.UTF_8);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    static Tokenizer load(String which, Path file) {
        return which.equals("ours") ? BpeEncoder.probe(file, false).encoder().orElseThrow() : HfTokenizer.load(file, false);
    }

    static int[][] encode(Tokenizer t, ForkJoinPool pool, List<String> batch) throws Exception {
        return t instanceof BpeEncoder ? pool.submit(() -> t.encodeBatch(batch)).get() : t.encodeBatch(batch);
    }

    /** The text cut after each LF, as bench/tokenizer_encode.py cuts it. */
    static List<String> lines(Path corpus) throws IOException {
        String text = Files.readString(corpus, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', from)) {
            out.add(text.substring(from, i + 1));
            from = i + 1;
        }
        if (from < text.length()) {
            out.add(text.substring(from));
        }
        return out;
    }
}
