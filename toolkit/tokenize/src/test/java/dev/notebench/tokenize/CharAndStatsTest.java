package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharAndStatsTest {
    @TempDir
    Path tmp;

    @Test
    void charVocabularyIsMostFrequentFirstAfterTheUnknownToken() throws Exception {
        Path f = Files.writeString(tmp.resolve("c.txt"), "aab\n");
        CharTokenizer t = CharTokenizer.train(Corpus.of(f.toString()), 0, 1).tokenizer();
        assertEquals(4, t.vocabSize());
        assertEquals(List.of("<unk>", "a", "\n", "b"), List.of(t.tokenText(0), t.tokenText(1), t.tokenText(2), t.tokenText(3)));
        assertArrayEquals(new int[] {1, 3, 0, 2}, t.encode("abz\n"));
        assertEquals("ab\uFFFD\n", t.decode(new int[] {1, 3, 0, 2}));

        Path saved = tmp.resolve("chars.json");
        t.save(saved);
        CharTokenizer back = CharTokenizer.load(saved);
        assertArrayEquals(t.encode("ba\na"), back.encode("ba\na"));
    }

    @Test
    void statisticsOnAHandComputedHoldout() throws Exception {
        CharTokenizer t = CharTokenizer.of("a\nb");
        HoldoutStats s = HoldoutStats.compute(t, List.of("ab c\n"), 3);
        // 5 characters; ' ' and 'c' are unknown; words "ab" and "c", of which "c" is out of vocabulary
        assertEquals(5, s.characters());
        assertEquals(5, s.bytes());
        assertEquals(2, s.words());
        assertEquals(5, s.tokens());
        assertEquals(2, s.unkTokens());
        assertEquals(0.6, s.charCoverage(), 1e-12);
        assertEquals(0.6, s.byteCoverage(), 1e-12);
        assertEquals(0.4, s.unkRate(), 1e-12);
        assertEquals(0.5, s.oovWordRate(), 1e-12);
        assertEquals(1.0, s.tokensPerChar(), 1e-12);
        assertEquals(2.5, s.tokensPerWord(), 1e-12);
        assertEquals(4, s.vocabUsed());
        assertEquals(1.0, s.vocabShare(), 1e-12);
        assertEquals(13, s.table().rowCount());
        assertEquals("character coverage", s.table().stringColumn("statistic").get(5));
        assertEquals(0.6, s.table().doubleColumn("value").get(5), 1e-12);
        assertEquals(List.of("a", "\\n", "b"), s.longestTokensTable().stringColumn("token").asList(),
                "all one character long, so by id; the unknown token is not a token of text");
    }

    @Test
    void bytesCoverageWeighsMultiByteCharacters() {
        CharTokenizer t = CharTokenizer.of("a");
        HoldoutStats s = HoldoutStats.compute(t, List.of("aé"), 1);
        assertEquals(0.5, s.charCoverage(), 1e-12);
        assertEquals(1.0 / 3, s.byteCoverage(), 1e-12);
    }

    @Test
    void noHeldOutTextIsAClearError() {
        dev.notebench.NotebenchException e = org.junit.jupiter.api.Assertions.assertThrows(dev.notebench.NotebenchException.class,
                () -> HoldoutStats.compute(CharTokenizer.of("a"), List.of(), 3));
        assertEquals("there is no held-out text to measure; train with a holdout, e.g. --holdout 0.05", e.getMessage());
    }
}
