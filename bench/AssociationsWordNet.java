import dev.notebench.associations.Association;
import dev.notebench.associations.Extraction;
import dev.notebench.associations.Extractor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The precision of the is-a pairs found in the State of the Union sample, checked against WordNet
 * 3.0's noun hypernyms (Debian's wordnet-base): a pair (hyponym, hypernym) of head words is right
 * when some sense of the hypernym is an ancestor (hypernym or instance hypernym, transitively) of
 * some sense of the hyponym. Pairs with a word WordNet lacks are counted apart, not judged.
 * A benchmark, not a test: bench/associations-wordnet.sh runs it; BENCHMARKS.md has its figures.
 *   java -cp 'cli/target/notebench-cli.jar:cli/target/lib/*' bench/AssociationsWordNet.java [FILE]
 */
public final class AssociationsWordNet {
    static final Path WORDNET = Path.of(System.getenv().getOrDefault("NOTEBENCH_WORDNET", "/usr/share/wordnet"));

    /** WordNet's nouns: lemma to synset offsets, synset to hypernym synsets and lemmas, plural exceptions. */
    static final class WordNet {
        final Map<String, List<Long>> senses = new HashMap<>();
        final Map<Long, List<Long>> hypernyms = new HashMap<>();
        final Map<Long, List<String>> lemmas = new HashMap<>();
        final Map<String, String> exceptions = new HashMap<>();

        WordNet(Path dir) throws IOException {
            for (String line : Files.readAllLines(dir.resolve("index.noun"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(" ")) {
                    continue;
                }
                String[] f = line.split(" ");
                int pointers = Integer.parseInt(f[3]);
                int senseCount = Integer.parseInt(f[2]);
                List<Long> offs = new ArrayList<>();
                for (int i = 0; i < senseCount; i++) {
                    offs.add(Long.parseLong(f[6 + pointers + i]));
                }
                senses.put(f[0], offs);
            }
            for (String line : Files.readAllLines(dir.resolve("data.noun"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(" ")) {
                    continue;
                }
                String[] f = line.split(" ");
                long offset = Long.parseLong(f[0]);
                int words = Integer.parseInt(f[3], 16);
                List<String> ls = new ArrayList<>();
                for (int i = 0; i < words; i++) {
                    ls.add(f[4 + 2 * i].toLowerCase(Locale.ROOT));
                }
                lemmas.put(offset, ls);
                int p = 4 + 2 * words;
                int pointers = Integer.parseInt(f[p]);
                List<Long> up = new ArrayList<>();
                for (int i = 0; i < pointers; i++) {
                    String symbol = f[p + 1 + 4 * i];
                    if ((symbol.equals("@") || symbol.equals("@i")) && f[p + 3 + 4 * i].equals("n")) {
                        up.add(Long.parseLong(f[p + 2 + 4 * i]));
                    }
                }
                hypernyms.put(offset, up);
            }
            for (String line : Files.readAllLines(dir.resolve("noun.exc"), StandardCharsets.ISO_8859_1)) {
                String[] f = line.split(" ");
                if (f.length >= 2) {
                    exceptions.put(f[0], f[1]);
                }
            }
        }

        /** WordNet's base forms of a noun (its morphy): the word if listed, an exception, or suffix rules. */
        List<String> bases(String word) {
            List<String> out = new ArrayList<>();
            String w = word.toLowerCase(Locale.ROOT).replace(' ', '_');
            if (senses.containsKey(w)) {
                out.add(w);
            }
            if (exceptions.containsKey(w)) {
                out.add(exceptions.get(w));
            }
            String[][] rules = {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"},
                    {"ies", "y"}};
            for (String[] r : rules) {
                if (w.endsWith(r[0])) {
                    String b = w.substring(0, w.length() - r[0].length()) + r[1];
                    if (senses.containsKey(b) && !out.contains(b)) {
                        out.add(b);
                    }
                }
            }
            return out;
        }

        /** Every lemma of every ancestor of every sense of {@code word}. */
        Set<String> ancestors(String word) {
            Set<String> out = new HashSet<>();
            Set<Long> seen = new HashSet<>();
            ArrayDeque<Long> todo = new ArrayDeque<>();
            for (String b : bases(word)) {
                for (long s : senses.get(b)) {
                    todo.addAll(hypernyms.getOrDefault(s, List.of()));
                }
            }
            while (!todo.isEmpty()) {
                long s = todo.poll();
                if (seen.add(s)) {
                    out.addAll(lemmas.getOrDefault(s, List.of()));
                    todo.addAll(hypernyms.getOrDefault(s, List.of()));
                }
            }
            return out;
        }
    }

    /** The judged result. */
    record Precision(int pairs, int judged, int right, List<String> wrong) {
        double precision() {
            return judged == 0 ? 0 : (double) right / judged;
        }
    }

    static Precision judge(WordNet wn, List<Association> isA) {
        int judged = 0;
        int right = 0;
        List<String> wrong = new ArrayList<>();
        Set<String> pairs = new java.util.LinkedHashSet<>();
        for (Association a : isA) {
            pairs.add(a.sourceHead() + " -> " + a.targetHead());
        }
        for (String pair : pairs) {
            String[] p = pair.split(" -> ");
            List<String> hyper = wn.bases(p[1]);
            if (wn.bases(p[0]).isEmpty() || hyper.isEmpty()) {
                continue;
            }
            judged++;
            Set<String> up = wn.ancestors(p[0]);
            // the same head: a compound and its head ("tax policy" is-a "policy")
            if (p[0].equals(p[1]) || hyper.stream().anyMatch(up::contains)) {
                right++;
            } else {
                wrong.add(pair);
            }
        }
        return new Precision(pairs.size(), judged, right, wrong);
    }

    public static void main(String[] args) throws IOException {
        WordNet wn = new WordNet(WORDNET);
        List<String> lines = Files.readAllLines(Path.of(args.length > 0 ? args[0] : "datasets/sotu/sotu-sample.txt"), StandardCharsets.UTF_8);
        Extraction x = Extractor.builder().build().extract(lines);
        List<Association> isA = x.associations().stream().filter(a -> a.relation().equals("is-a")).toList();
        Precision p = judge(wn, isA);
        Precision confident = judge(wn, isA.stream().filter(a -> a.confidence() >= 0.5).toList());
        System.out.printf(Locale.ROOT, "is-a precision, confidence >= 0.5: %d of %d judged pairs right (%.1f%%); %d distinct pairs%n",
                confident.right(), confident.judged(), 100 * confident.precision(), confident.pairs());
        System.out.printf(Locale.ROOT, "is-a precision against WordNet: %d of %d judged pairs right (%.1f%%); %d distinct pairs,"
                + " %d not judged (a word not in WordNet)%n", p.right(), p.judged(), 100 * p.precision(), p.pairs(),
                p.pairs() - p.judged());
        System.out.println("wrong, first 40: " + p.wrong().subList(0, Math.min(40, p.wrong().size())));
        java.util.Map<String, List<Association>> byPattern = new java.util.LinkedHashMap<>();
        isA.forEach(a -> byPattern.computeIfAbsent(a.pattern(), k -> new ArrayList<>()).add(a));
        byPattern.forEach((pattern, list) -> {
            Precision pp = judge(wn, list);
            System.out.printf(Locale.ROOT, "  %-40s %3d of %3d judged right (%.0f%%), %d pairs%n", pattern, pp.right(), pp.judged(),
                    100 * pp.precision(), pp.pairs());
        });
    }
}
