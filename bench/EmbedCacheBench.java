import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cold vs warm embedding through the cache in one JVM, as a long-lived notebook kernel sees it:
 * WORDS texts embedded into an empty cache, then the same texts embedded again (all hits) a few
 * times, then plain cache lookups. Run by bench/embed-cache.sh:
 *   java -cp 'cli/target/notebench-cli.jar:cli/target/lib/*' bench/EmbedCacheBench.java WORDS_FILE CACHE MODELS_DIR
 */
public class EmbedCacheBench {
    public static void main(String[] args) throws Exception {
        List<String> words = Files.readAllLines(Path.of(args[0]));
        try (LocalEmbedder model = LocalEmbedder.load(Path.of(args[2]))) {
            model.embed(List.of("warm up the model")); // session start-up, outside the timings
            try (EmbeddingCache cache = EmbeddingCache.open(Path.of(args[1]))) {
                long t0 = System.nanoTime();
                cache.embed(model, words);
                double cold = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "cold\t%d texts\t%.2f s\t%,.0f texts/s%n", words.size(), cold, words.size() / cold);
                double best = Double.MAX_VALUE;
                for (int pass = 1; pass <= 5; pass++) {
                    long t1 = System.nanoTime();
                    List<float[]> v = cache.embed(model, words);
                    double warm = (System.nanoTime() - t1) / 1e9;
                    best = Math.min(best, warm);
                    System.out.printf(Locale.ROOT, "warm %d\t%d texts\t%.3f s\t%,.0f texts/s\t%.0fx cold%n", pass, v.size(), warm,
                            words.size() / warm, cold / warm);
                }
                List<String> sample = new ArrayList<>(words.subList(0, Math.min(1000, words.size())));
                long t2 = System.nanoTime();
                int lookups = 0;
                while (System.nanoTime() - t2 < 2_000_000_000L) {
                    lookups += cache.get(LocalModel.ALL_MINILM_L6_V2.id(), sample).size();
                }
                double secs = (System.nanoTime() - t2) / 1e9;
                System.out.printf(Locale.ROOT, "hits\t%,d lookups in batches of %d\t%.2f s\t%,.0f lookups/s%n", lookups,
                        sample.size(), secs, lookups / secs);
                System.out.printf(Locale.ROOT, "best warm pass: %.0fx faster than cold%n", cold / best);
            }
        }
    }
}
