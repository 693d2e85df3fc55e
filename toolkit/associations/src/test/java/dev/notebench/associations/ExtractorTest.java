package dev.notebench.associations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ExtractorTest {
    /** The SOTU sample as concepts of two sentences each. */
    static List<String> sotuConcepts() throws IOException {
        List<String> concepts = new ArrayList<>();
        for (String address : Files.readAllLines(Path.of("../../datasets/sotu/sotu-sample.txt"), StandardCharsets.UTF_8)) {
            List<Texts.Sentence> s = Texts.sentences(address);
            for (int i = 0; i < s.size(); i += 2) {
                int end = s.get(Math.min(s.size() - 1, i + 1)).end();
                concepts.add(address.substring(s.get(i).start(), end));
            }
        }
        return concepts;
    }

    private static List<String> randomConcepts(long seed, int n) {
        String[] words = ("animals such as lions tigers and other cats the economy is strong smoking causes cancer wheel is part of"
                + " car , . ! ? including especially Congress consists of senators drought resulted in famine a an the kind"
                + " located in Geneva used for nails before after came followed by U.S. Mr. 1998 \"quoted\"").split(" ");
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = r.nextInt(40); w > 0; w--) {
                sb.append(words[r.nextInt(words.length)]).append(r.nextInt(5) == 0 ? ". " : " ");
            }
            out.add(r.nextInt(50) == 0 ? null : sb.toString());
        }
        return out;
    }

    @Test
    void parallelEqualsSequentialOnRandomAndRealInputs() throws IOException {
        List<List<String>> inputs = new ArrayList<>();
        for (long seed = 0; seed < 5; seed++) {
            inputs.add(randomConcepts(seed, 3000));
        }
        inputs.add(sotuConcepts());
        for (List<String> concepts : inputs) {
            Extraction sequential = Extractor.builder().workers(1).cooccurrence(0, 2, 0).build().extract(concepts);
            for (int workers : new int[] {2, 3, 8}) {
                Extraction parallel = Extractor.builder().workers(workers).sequentialBelow(0).cooccurrence(0, 2, 0).build()
                        .extract(concepts);
                assertEquals(workers, parallel.workers());
                assertEquals(sequential.associations(), parallel.associations());
                assertEquals(sequential.failures(), parallel.failures());
                assertEquals(sequential.cooccurrences(), parallel.cooccurrences());
                assertEquals(sequential.sentences(), parallel.sentences());
            }
            assertTrue(sequential.associations().size() > 100, "found " + sequential.associations().size());
        }
    }

    @Test
    void aConceptThatFailsIsAnErrorRecordAndTheOthersAreExtracted() {
        List<String> concepts = new ArrayList<>(List.of("Smoking causes cancer.", "BOOM", "Oil contains carbon."));
        concepts.add(null);
        for (int workers : new int[] {1, 2}) {
            Extraction x = Extractor.builder().workers(workers).sequentialBelow(0).normalizer(t -> {
                if (t.equals("BOOM")) {
                    throw new IllegalStateException("cannot normalize BOOM");
                }
                return t;
            }).build().extract(concepts);
            assertEquals(List.of(new Failure(1, "IllegalStateException: cannot normalize BOOM"),
                    new Failure(3, "not text (a missing value)")), x.failures());
            assertEquals(List.of(0, 2), x.associations().stream().map(Association::concept).toList());
            assertEquals(4, x.concepts());
        }
    }

    @Test
    void cooccurrenceCountsPairsOncePerSentenceWithPmi() {
        Extraction x = Extractor.builder().workers(1).cooccurrence(0, 1, -100).build().extract(List.of(
                "Tax cuts help families. Families need jobs.", "Jobs and taxes. Tax policy matters."));
        // sentences: {tax, cut, help, family}, {family, jobs->job}, {job, tax}, {tax, policy, matter}
        Cooccurrence familyTax = x.cooccurrences().stream().filter(c -> c.a().equals("family") && c.b().equals("tax"))
                .findFirst().orElseThrow();
        assertEquals(1, familyTax.count());
        assertEquals(Math.log((1 / 4.0) / ((2 / 4.0) * (3 / 4.0))), familyTax.pmi(), 1e-12);
        assertEquals(4, x.sentences());
        Extraction windowed = Extractor.builder().workers(1).cooccurrence(2, 1, -100).build().extract(List.of("alpha beta gamma delta"));
        assertEquals(List.of("alpha-beta", "beta-gamma", "delta-gamma"),
                windowed.cooccurrences().stream().map(c -> c.a() + "-" + c.b()).sorted().toList());
    }

    @Test
    void patternFileErrorsNameTheLineAndTheReason() {
        String[][] bad = {
                {"is-a 0.9 {T} such as {X}", "unknown slot {X}; use {S} or {T} (source, target), with + for a list or :1 for one word"},
                {"is-a 1.5 {T} such as {S}", "the confidence 1.5 must be in (0, 1]"},
                {"is-a high {T} such as {S}", "the confidence 'high' is not a number"},
                {"is-a 0.9 {T} {S}", "two slots in a row; put words between them"},
                {"is-a 0.9 {T} such as", "a pattern needs one {S} and one {T} slot; '{T} such as' has 0 and 1"},
                {"is-a 0.9 {T} (such|) as {S}", "the first words of a pattern (after a leading slot) cannot be optional"},
                {"is-a 0.9 {T} (such as {S}", "a '(' is not closed"},
                {"Is_A 0.9 {T} such as {S}", "the relation 'Is_A' must be lowercase letters, digits, '-' or '_'"},
                {"is-a {T} such as {S}", "the confidence '{T}' is not a number"}};
        for (String[] b : bad) {
            PatternFileException e = assertThrows(PatternFileException.class,
                    () -> PatternSet.parse("# mine\n\nis-a 0.9 {T} such as {S+}\n" + b[0] + "\n", "mine.txt"));
            assertEquals("mine.txt, line 4: " + b[1], e.getMessage());
            assertEquals(4, e.line());
        }
        assertEquals("empty.txt, line 2: no patterns: write one per line, 'relation confidence pattern'",
                assertThrows(PatternFileException.class, () -> PatternSet.parse("# nothing\n", "empty.txt")).getMessage());
    }

    @Test
    void usersAddRelationsWithAPatternFile() {
        PatternSet mine = PatternSet.parse("treats 0.7 {S} (treats|treated|cures|cured) {T}\n", "mine.txt");
        Extraction x = Extractor.builder().patterns(mine).workers(1).build().extract(List.of("Aspirin treats headaches."));
        assertEquals("Aspirin | treats | headaches | aspirin | headache", x.associations().stream()
                .map(a -> String.join(" | ", a.source(), a.relation(), a.target(), a.sourceHead(), a.targetHead())).findFirst()
                .orElseThrow());
        assertEquals(List.of("is-a", "part-of", "causes", "used-for", "located-in", "has-property", "before", "after"),
                PatternSet.defaults().relations());
    }

    @Test
    void theGraphAggregatesByHeadAndExportsGraphMlAndDot() throws Exception {
        Extraction x = Extractor.builder().workers(1).build().extract(List.of("Animals such as lions and tigers.",
                "Big lions and other animals.", "Smoking causes \"cancer\" & <harm>."));
        AssociationGraph g = x.graph();
        assertEquals(List.of("lion is-a animal 2", "smoking causes cancer 1", "tiger is-a animal 1"), g.edges().stream()
                .map(e -> e.source() + " " + e.relation() + " " + e.target() + " " + e.count()).sorted().toList());
        assertEquals(3, (int) g.nodes().get("animal"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(g.toGraphMl().getBytes(StandardCharsets.UTF_8)));
        assertEquals(5, doc.getElementsByTagName("node").getLength());
        assertEquals(3, doc.getElementsByTagName("edge").getLength());
        assertTrue(g.toDot().contains("  \"lion\" -> \"animal\" [label=\"is-a (2)\"];\n"), g.toDot());
        assertEquals(Arrays.asList("lion", "is-a", "animal"), Arrays.asList(g.edgeTable().getString(0, "source"),
                g.edgeTable().getString(0, "relation"), g.edgeTable().getString(0, "target")));
    }

    @Test
    void partsNumberedFromTheirFirstConceptAddUpToTheWholeExtraction() {
        List<String> concepts = new ArrayList<>(randomConcepts(7, 60));
        concepts.set(41, null);
        Extractor x = Extractor.builder().workers(1).cooccurrence(4, 1, -100).build();
        Extraction whole = x.extract(concepts);
        ExtractionPart first = x.extractPart(concepts.subList(0, 40), 0);
        ExtractionPart second = x.extractPart(concepts.subList(40, 60), 40);
        List<Association> associations = new ArrayList<>(first.associations());
        associations.addAll(second.associations());
        assertEquals(whole.associations(), associations);
        assertEquals(List.of(new Failure(41, "not text (a missing value)")), second.failures());
        assertEquals(whole.sentences(), first.sentences() + second.sentences());
        java.util.Map<List<String>, Integer> pairs = new java.util.HashMap<>();
        java.util.Map<String, Integer> terms = new java.util.HashMap<>();
        long units = 0;
        for (ExtractionPart p : List.of(first, second)) {
            units += p.cooccurrence().units();
            p.cooccurrence().forEachTerm((t, n) -> terms.merge(t, n, Integer::sum));
            p.cooccurrence().forEachPair((a, b, n) -> {
                assertTrue(a.compareTo(b) < 0, a + " " + b);
                pairs.merge(List.of(a, b), n, Integer::sum);
            });
        }
        long all = units;
        // the thresholds (min count 1 here) apply to the sums; a pair seen once in each part counts 2
        List<Cooccurrence> counted = pairs.entrySet().stream().map(e -> Cooccurrence.of(e.getKey().get(0), e.getKey().get(1),
                e.getValue(), terms.get(e.getKey().get(0)), terms.get(e.getKey().get(1)), all)).sorted(Cooccurrence.ORDER).toList();
        assertEquals(whole.cooccurrences(), counted);
        ExtractionPart without = Extractor.builder().workers(1).build().extractPart(concepts.subList(0, 40), 0);
        assertEquals(List.of(0L, 0), List.of(without.cooccurrence().units(), without.cooccurrence().pairCount()));
    }
}
