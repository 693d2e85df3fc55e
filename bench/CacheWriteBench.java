import dev.notebench.embed.EmbeddingCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Concurrent multi-process writes into one cache file: P processes, each putting ROWS distinct
 * 384-d vectors in batches of BATCH, all released at once; total rows/s for P = 1, 2, 4, 8 in the
 * same run. Run by bench/cache-writes.sh:
 *   java -cp 'cli/target/notebench-cli.jar:cli/target/lib/*' bench/CacheWriteBench.java DIR ROWS BATCH
 */
public class CacheWriteBench {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            child(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        Path dir = Path.of(args[0]);
        int rows = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        System.out.println("| processes | rows in all | seconds | rows/s | integrity |");
        System.out.println("|---|---|---|---|---|");
        for (int procs : new int[] {1, 2, 4, 8}) {
            Path file = dir.resolve("writes-" + procs + ".sqlite");
            try (EmbeddingCache c = EmbeddingCache.open(file)) {
                c.stats();
            }
            List<Process> ps = new ArrayList<>();
            for (int p = 0; p < procs; p++) {
                ps.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                        System.getProperty("java.class.path"), "bench/CacheWriteBench.java", "child", file.toString(),
                        String.valueOf(p), String.valueOf(rows), String.valueOf(batch)).inheritIO().start());
            }
            Thread.sleep(4000); // every JVM compiled this file and opened the cache
            long t0 = System.nanoTime();
            Files.writeString(Path.of(file + ".go"), "go");
            for (Process p : ps) {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("a writer failed");
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            try (EmbeddingCache c = EmbeddingCache.open(file)) {
                System.out.printf(Locale.ROOT, "| %d | %,d | %.2f | %,.0f | %s |%n", procs, c.stats().entries(), secs,
                        c.stats().entries() / secs, c.integrityCheck());
            }
        }
    }

    private static void child(Path file, int worker, int rows, int batch) throws Exception {
        SplittableRandom r = new SplittableRandom(worker);
        try (EmbeddingCache c = EmbeddingCache.open(file)) {
            Path go = Path.of(file + ".go");
            while (!Files.exists(go)) {
                Thread.sleep(2);
            }
            for (int from = 0; from < rows; from += batch) {
                Map<String, float[]> m = new LinkedHashMap<>();
                for (int i = from; i < Math.min(rows, from + batch); i++) {
                    float[] v = new float[384];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = (float) r.nextGaussian();
                    }
                    m.put("w" + worker + "-" + i, v);
                }
                c.put("bench-384", m);
            }
        }
    }
}
