import dev.notebench.associations.Extraction;
import dev.notebench.associations.Extractor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Association extraction throughput on the State of the Union text: concepts of 1-3 sentences
 * (consecutive sentences grouped 1, 2, 3, 1, 2, 3, ...), sequential vs parallel, best of R runs after
 * warm-up runs, in one JVM.  java -cp ... bench/AssociationsSpeed.java FILE [REPEAT] [WORKERS...]
 */
public final class AssociationsSpeed {
    public static void main(String[] args) throws Exception {
        List<String> concepts = new ArrayList<>();
        for (String doc : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            // split on sentence ends the simple way; the extractor re-splits each concept itself
            String[] sentences = doc.split("(?<=[.!?])\\s+(?=[A-Z\"])");
            int size = 1;
            for (int i = 0; i < sentences.length; i += size, size = size % 3 + 1) {
                concepts.add(String.join(" ", java.util.Arrays.copyOfRange(sentences, i, Math.min(sentences.length, i + size))));
            }
        }
        int repeat = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (Boolean.getBoolean("threshold")) {
            // where the parallel path starts to pay: best of 200 runs at each size, 1 thread vs all cores
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.println("| concepts | sequential ms | parallel ms (" + cores + " threads) | parallel / sequential |");
            System.out.println("|---|---|---|---|");
            for (int size : new int[] {50, 100, 200, 400, 800, 1600, 3200}) {
                List<String> part = concepts.subList(0, Math.min(size, concepts.size()));
                Extractor seq = Extractor.builder().workers(1).cooccurrence(0, 3, 0).build();
                Extractor par = Extractor.builder().workers(cores).sequentialBelow(0).cooccurrence(0, 3, 0).build();
                double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
                for (int r = 0; r < 200; r++) {
                    for (int k = 0; k < 2; k++) {
                        long t0 = System.nanoTime();
                        (k == 0 ? seq : par).extract(part);
                        best[k] = Math.min(best[k], (System.nanoTime() - t0) / 1e6);
                    }
                }
                System.out.printf(Locale.ROOT, "| %d | %.3f | %.3f | %.2f |%n", size, best[0], best[1], best[1] / best[0]);
            }
            return;
        }
        List<Integer> workers = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            workers.add(Integer.parseInt(args[i]));
        }
        if (workers.isEmpty()) {
            workers = List.of(1, Runtime.getRuntime().availableProcessors());
        }
        System.out.println("| workers | concepts | sentences | associations | co-occurring pairs | best seconds | concepts/s | sentences/s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int w : workers) {
            Extractor.Builder b = Extractor.builder().workers(w).sequentialBelow(w == 1 ? Integer.MAX_VALUE : 0);
            if (!Boolean.getBoolean("noCooccurrence")) {
                b.cooccurrence(0, 3, 0);
            }
            Extractor x = b.build();
            for (int i = 0; i < 3; i++) {
                x.extract(concepts); // warm-up
            }
            double best = Double.MAX_VALUE;
            Extraction last = null;
            for (int r = 0; r < repeat; r++) {
                long t0 = System.nanoTime();
                last = x.extract(concepts);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %.3f | %.0f | %.0f |%n", w, last.concepts(), last.sentences(),
                    last.associations().size(), last.cooccurrences().size(), best, last.concepts() / best, last.sentences() / best);
        }
    }
}
