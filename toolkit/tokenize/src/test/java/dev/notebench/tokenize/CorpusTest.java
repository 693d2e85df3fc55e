package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryIsEveryRegularFileBelowItInPathOrderSkippingHiddenOnes() throws Exception {
        Files.createDirectories(tmp.resolve("b/c"));
        Files.writeString(tmp.resolve("b/c/z.txt"), "z");
        Files.writeString(tmp.resolve("a.txt"), "a");
        Files.writeString(tmp.resolve(".hidden"), "h");
        assertEquals(List.of(tmp.resolve("a.txt"), tmp.resolve("b/c/z.txt")), Corpus.of(tmp.toString()).files());
    }

    @Test
    void aGlobMatchesAcrossDirectories() throws Exception {
        Files.createDirectories(tmp.resolve("x/y"));
        Files.writeString(tmp.resolve("x/y/one.txt"), "1");
        Files.writeString(tmp.resolve("x/two.md"), "2");
        assertEquals(List.of(tmp.resolve("x/y/one.txt")), Corpus.of(tmp + "/**/*.txt").files());
        NotebenchException e = assertThrows(NotebenchException.class, () -> Corpus.of(tmp + "/**/*.csv"));
        assertEquals(ErrorCode.DATA_NOT_FOUND, e.code());
    }

    @Test
    void aMissingCorpusOrEncodingIsOneClearError() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> Corpus.of(tmp.resolve("nope.txt").toString()));
        assertEquals(ErrorCode.DATA_NOT_FOUND, e.code());
        assertEquals("corpus " + tmp.resolve("nope.txt") + " does not exist (looked in " + Path.of("").toAbsolutePath()
                + "); pass an existing file, directory or glob", e.getMessage());
        e = assertThrows(NotebenchException.class, () -> Corpus.builder("x").encoding("klingon-8"));
        assertEquals("unknown encoding 'klingon-8'; use a Java charset name such as UTF-8, ISO-8859-1 or windows-1252",
                e.getMessage());
    }

    @Test
    void normalizationAndLowercaseAreAppliedBeforeSplitting() throws Exception {
        Path f = Files.writeString(tmp.resolve("n.txt"), "ＡＢＣ ﬁ Straße\n");
        BpeTraining t = BpeTrainer.builder(300).minFrequency(1).build()
                .train(Corpus.builder(f.toString()).normalization(Normalization.NFKC).lowercase(true).build());
        assertEquals(Normalization.NFKC, t.model().normalization());
        assertEquals("{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFKC\"},{\"type\":\"Lowercase\"}]}",
                com.google.gson.JsonParser.parseString(t.model().toTokenizerJson()).getAsJsonObject().get("normalizer").toString());
    }

    @Test
    void holdoutByFileHoldsWholeFilesOut() throws Exception {
        for (int i = 0; i < 40; i++) {
            Files.writeString(tmp.resolve(String.format("doc%02d.txt", i)), "doc " + i + "\nsecond line\n");
        }
        Holdout h = Holdout.files(0.25, 3);
        BpeTraining t = BpeTrainer.builder(300).build().train(Corpus.builder(tmp.toString()).holdout(h).build());
        assertEquals(0, t.holdout().size() % 2, "both lines of each held-out file");
        assertEquals(t.corpus().holdoutLines(), t.holdout().size());
        NotebenchException e = assertThrows(NotebenchException.class, () -> Holdout.lines(0.9, 1));
        assertEquals("holdout fraction must be between 0 and 0.5, got 0.9", e.getMessage());
    }
}
