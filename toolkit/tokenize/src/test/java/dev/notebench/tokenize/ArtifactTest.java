package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactTest {
    @TempDir
    Path tmp;
    private final String sotu = HfReference.home().resolve("datasets/sotu/sotu-sample.txt").toString();

    @Test
    void bpeArtifactHasTheTokenizerAndAManifestWithFingerprintStatsAndVersions() {
        TokenizerArtifact a = TokenizerArtifact.train(TrainSpec.defaults(TrainSpec.Kind.BPE, sotu, tmp.resolve("tok"))
                .withVocabSize(1000), TrainingListener.NONE, Map.of());
        assertTrue(Files.isRegularFile(tmp.resolve("tok/tokenizer.json")));
        JsonObject m = TokenizerArtifact.readManifest(tmp.resolve("tok"));
        assertEquals("bpe", m.get("kind").getAsString());
        assertEquals(1000, m.getAsJsonObject("tokenizer").get("vocab_size").getAsInt());
        assertEquals("681ccaf6a1f7d58d8c304681535a6bdb27c20a1bfdd403d2542a3a4b80fe6d24",
                m.getAsJsonObject("corpus").get("sha256").getAsString());
        assertEquals(40, m.getAsJsonObject("corpus").get("lines").getAsInt());
        assertEquals(a.stats().orElseThrow().tokens(), m.getAsJsonObject("holdout_stats").get("tokens").getAsLong());
        assertEquals(1.0, m.getAsJsonObject("holdout_stats").get("char_coverage").getAsDouble());
        assertEquals("0.36.0", m.getAsJsonObject("versions").get("djl_tokenizers").getAsString());
        try (Tokenizer t = TokenizerArtifact.load(tmp.resolve("tok"))) {
            assertEquals("bpe", t.kind());
            assertEquals("State of the Union", t.decode(t.encode("State of the Union")));
        }
    }

    @Test
    void charArtifactLoadsBack() {
        TokenizerArtifact.train(TrainSpec.defaults(TrainSpec.Kind.CHAR, sotu, tmp.resolve("chars")), TrainingListener.NONE, Map.of());
        try (Tokenizer t = TokenizerArtifact.load(tmp.resolve("chars"))) {
            assertEquals("char", t.kind());
            assertEquals("Union", t.decode(t.encode("Union")));
        }
    }

    @Test
    void sentencePieceTrainsWithSpmTrainAndLoadsThroughDjl() {
        TokenizerArtifact a = TokenizerArtifact.train(TrainSpec.defaults(TrainSpec.Kind.SENTENCEPIECE, sotu, tmp.resolve("spm"))
                .withVocabSize(1000), TrainingListener.NONE, System.getenv()); // as the CLI passes it: needs an installed spm_train
        assertEquals(1000, a.vocabSize());
        try (Tokenizer t = TokenizerArtifact.load(tmp.resolve("spm"))) {
            assertEquals("sentencepiece", t.kind());
            assertEquals("the American people", t.decode(t.encode("the American people")));
            assertEquals(0, t.unkId().orElseThrow());
        }
        assertTrue(a.stats().orElseThrow().charCoverage() > 0.99);
    }

    @Test
    void withoutSpmTrainTheErrorSaysHowToInstallIt() {
        TrainSpec spec = TrainSpec.defaults(TrainSpec.Kind.SENTENCEPIECE, sotu, tmp.resolve("spm"));
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> SentencePieceTrainer.train(spec, spec.openCorpus(), tmp.resolve("m.model"), Optional.empty(), TrainingListener.NONE));
        assertEquals(ErrorCode.DEPENDENCY_MISSING, e.code());
        assertEquals("spm_train is not installed; install SentencePiece (Debian/Ubuntu: sudo apt-get install sentencepiece;"
                + " macOS: brew install sentencepiece) or set NOTEBENCH_SPM_TRAIN to its path", e.getMessage());
    }

    @Test
    void anOutDirectoryWithOtherFilesIsNotOverwritten() throws Exception {
        Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(tmp.resolve("mine/notes.txt"), "keep me");
        NotebenchException e = assertThrows(NotebenchException.class, () -> TokenizerArtifact.train(
                TrainSpec.defaults(TrainSpec.Kind.BPE, sotu, tmp.resolve("mine")), TrainingListener.NONE, Map.of()));
        assertEquals("--out " + tmp.resolve("mine") + " already has files and is not a tokenizer directory;"
                + " choose an empty or new directory", e.getMessage());
        assertEquals("keep me", Files.readString(tmp.resolve("mine/notes.txt")));
    }
}
