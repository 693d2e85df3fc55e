package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    @TempDir
    Path tmp;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void mergesTheMostFrequentPairFirstAndUpdatesNeighbours() throws Exception {
        // words: "ab" ×1, " ab" ×2, "\n" ×1 → (a,b) has 3, then (Ġ,ab) has 2
        Path f = file("toy.txt", "ab ab ab\n");
        BpeTraining t = BpeTrainer.builder(259).build().train(Corpus.of(f.toString()));
        assertEquals(List.of(new BpeModel.Merge("a", "b"), new BpeModel.Merge("Ġ", "ab")), t.model().merges());
        assertEquals("ab", t.model().vocab().get(257));
        assertEquals("Ġab", t.model().vocab().get(258));
        assertEquals(3, t.corpus().distinctWords());
        try (HfTokenizer tok = HfTokenizer.load(save(t))) {
            assertArrayEquals(new int[] {257, 258}, tok.encode("ab ab"));
        }
    }

    @Test
    void stopsBelowMinFrequencyEvenBeforeTheVocabIsFull() throws Exception {
        Path f = file("toy.txt", "ab ab ab\n");
        BpeTraining t = BpeTrainer.builder(1000).minFrequency(3).build().train(Corpus.of(f.toString()));
        assertEquals(List.of(new BpeModel.Merge("a", "b")), t.model().merges());
        assertEquals(258, t.model().vocabSize());
    }

    @Test
    void specialTokensComeFirstAndTheByteAlphabetIsComplete() throws Exception {
        BpeTraining t = BpeTrainer.builder(300).specialTokens(List.of("<pad>", "<|endoftext|>"))
                .build().train(Corpus.of(file("x.txt", "hello hello\n").toString()));
        assertEquals(List.of("<pad>", "<|endoftext|>", "!", "\""), t.model().vocab().subList(0, 4));
        assertEquals(2 + 256, t.model().vocabSize() - t.model().merges().size());
    }

    @Test
    void anyUtf8RoundTripsThroughTheTrainedTokenizer() throws Exception {
        Path corpus = HfReference.home().resolve("datasets/sotu/sotu-sample.txt");
        BpeTraining t = BpeTrainer.builder(2000).build().train(Corpus.of(corpus.toString()));
        Random r = new Random(7);
        try (HfTokenizer tok = HfTokenizer.load(save(t))) {
            for (int n = 0; n < 300; n++) {
                StringBuilder sb = new StringBuilder();
                int len = r.nextInt(30);
                for (int i = 0; i < len; i++) {
                    int cp;
                    do {
                        cp = r.nextInt(4) == 0 ? r.nextInt(0x80) : r.nextInt(0x10FFFF);
                    } while (Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.UNASSIGNED
                            || cp == 0);
                    sb.appendCodePoint(cp);
                }
                String s = sb.toString();
                assertEquals(s, tok.decode(tok.encode(s)), () -> "round trip of " + s.codePoints().mapToObj(Integer::toHexString).toList());
            }
        }
    }

    @Test
    void aLimitedAlphabetKeepsTheMostFrequentBytesAndSkipsTheRest() throws Exception {
        // a ×6, b ×3, c ×2, \n ×1: with a limit of 2, only a and b get symbols
        Path f = file("abc.txt", "aaaaaabbbcc\n");
        BpeTraining t = BpeTrainer.builder(10).specialTokens(List.of()).minFrequency(1).seenAlphabetOnly(2).build()
                .train(Corpus.of(f.toString()));
        assertEquals(List.of("a", "b", "aa"), t.model().vocab().subList(0, 3));
        assertTrue(t.model().vocab().stream().noneMatch(v -> v.contains("c")), t.model().vocab().toString());
    }

    @Test
    void aVocabSmallerThanTheAlphabetIsRefused() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> BpeTrainer.builder(200).build());
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("vocab 200 is smaller than the 257 tokens a byte-level BPE starts with (256 byte symbols + 1 special);"
                + " ask for at least 257", e.getMessage());
    }

    @Test
    void anEmptyCorpusSaysSo() throws Exception {
        Path f = file("empty.txt", "");
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> BpeTrainer.builder(300).build().train(Corpus.of(f.toString())));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("corpus " + f + " is empty (1 file, 0 bytes); give it some text", e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8NameTheFileAndOffsetAndTheWayOut() throws Exception {
        Path f = tmp.resolve("latin1.txt");
        Files.write(f, new byte[] {'o', 'k', '\n', (byte) 0xE9, 't', (byte) 0xE9, '\n'});
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> BpeTrainer.builder(300).build().train(Corpus.of(f.toString())));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("corpus file " + f + " is not valid UTF-8 at byte 3; re-encode it as UTF-8, or pass --encoding CHARSET"
                + " (e.g. windows-1252) or --errors replace", e.getMessage());

        BpeTraining latin = BpeTrainer.builder(300).build().train(Corpus.builder(f.toString()).encoding("ISO-8859-1").build());
        assertTrue(latin.model().vocab().contains("Ã©"), "é read as Latin-1 becomes its two UTF-8 bytes");
        BpeTraining replaced = BpeTrainer.builder(300).build()
                .train(Corpus.builder(f.toString()).errors(Corpus.Errors.REPLACE).build());
        assertTrue(replaced.model().vocab().contains("ï¿½"), "U+FFFD's bytes");
    }

    @Test
    void heldOutLinesAreNotTrainedOnAndComeBackForStatistics() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Path f = file("lines.txt", sb.toString());
        BpeTraining t = BpeTrainer.builder(300).build().train(Corpus.builder(f.toString()).holdout(Holdout.lines(0.1, 7)).build());
        assertEquals(200, t.corpus().lines());
        assertEquals(t.corpus().holdoutLines(), t.holdout().size());
        assertEquals(200, t.corpus().trainLines() + t.corpus().holdoutLines());
        assertTrue(t.holdout().size() > 5 && t.holdout().size() < 40, "about 10%: " + t.holdout().size());
        BpeTraining again = BpeTrainer.builder(300).build().train(Corpus.builder(f.toString()).holdout(Holdout.lines(0.1, 7)).build());
        assertEquals(t.holdout(), again.holdout(), "the same seed holds out the same lines");
        assertEquals(t.corpus().sha256(), again.corpus().sha256());
    }

    @Test
    void threadCountDoesNotChangeTheResult() throws Exception {
        Path corpus = HfReference.home().resolve("datasets/sotu/sotu-sample.txt");
        BpeModel one = BpeTrainer.builder(1500).threads(1).build().train(Corpus.of(corpus.toString())).model();
        BpeModel four = BpeTrainer.builder(1500).threads(4).build().train(Corpus.of(corpus.toString())).model();
        assertEquals(one.toTokenizerJson(), four.toTokenizerJson());
    }

    private Path save(BpeTraining t) throws Exception {
        Path p = tmp.resolve("tokenizer-" + System.nanoTime() + ".json");
        t.model().save(p);
        return p;
    }
}
