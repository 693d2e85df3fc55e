package dev.notebench.tokenize.magic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import dev.notebench.tokenize.HoldoutStats;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.shards.ShardManifest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class TokenizerMagicsTest {
    @TempDir
    Path tmp;

    private final RecordingContext context = new RecordingContext();
    private final List<Object> shown = context.shown;
    private final List<Object> updates = context.updates;
    private final String sotu = Path.of(System.getProperty("notebench.home", "../..")).resolve("datasets/sotu/sotu-sample.txt").toString();

    @Test
    void trainShowsProgressThenTheStatisticsAndReturnsTheArtifact() {
        TokenizerMagics m = new TokenizerMagics(context);
        Object result = m.tokenizer(List.of("train", "--corpus", sotu, "--vocab", "600", "--out", tmp.resolve("t").toString()));
        TokenizerArtifact a = (TokenizerArtifact) result;
        assertEquals(600, a.vocabSize());
        assertTrue(updates.get(updates.size() - 1).toString().contains("merging: 100% (600 of 600 tokens"), updates.toString());
        assertEquals("holdout statistics", ((Table) shown.get(2)).name());
        assertEquals("longest tokens", ((Table) shown.get(3)).name());

        int[] ids = (int[]) m.tokenizer(List.of("encode", "--tokenizer", tmp.resolve("t").toString(), "the", "Union"));
        try (var t = TokenizerArtifact.load(tmp.resolve("t"))) {
            assertArrayEquals(t.encode("the Union"), ids, "words are joined with spaces");
        }
        assertEquals(ids.length + " tokens", ((Table) shown.get(shown.size() - 1)).name());
        HoldoutStats s = (HoldoutStats) m.tokenizer(List.of("stats", "--tokenizer", tmp.resolve("t").toString(), "--corpus", sotu));
        assertEquals(40, s.lines());
        assertArrayEquals(ids, (int[]) m.tokenizer(List.of("encode", "--tokenizer", tmp.resolve("t").toString(), "the Union")));

        ShardManifest shards = (ShardManifest) m.tokenizer(List.of("encode", "--tokenizer", tmp.resolve("t").toString(), "--corpus",
                sotu, "--out", tmp.resolve("ids").toString(), "--shard-mb", "1"));
        assertEquals(2, shards.shards().size());
        assertEquals(tmp.resolve("ids") + ": 2 shards (2 encoded now), " + String.format(java.util.Locale.ROOT, "%,d", shards.tokens())
                + " tokens (uint16)", shown.get(shown.size() - 1));
        assertEquals("%tokenizer: --out needs --corpus PATH|GLOB, the corpus to encode into token shards. Usage: " + TokenizerMagics.USAGE,
                assertThrows(MagicUsageException.class, () -> m.tokenizer(List.of("encode", "--tokenizer",
                        tmp.resolve("t").toString(), "--out", tmp.resolve("x").toString()))).getMessage());
    }

    @Test
    void wrongArgumentsAreOneLineWithTheUsage() {
        TokenizerMagics m = new TokenizerMagics(context);
        String usage = ". Usage: " + TokenizerMagics.USAGE;
        assertEquals("%tokenizer: give a command: train, encode or stats" + usage,
                assertThrows(MagicUsageException.class, () -> m.tokenizer(List.of())).getMessage());
        assertEquals("%tokenizer: unknown command 'fit'; use train, encode or stats" + usage,
                assertThrows(MagicUsageException.class, () -> m.tokenizer(List.of("fit"))).getMessage());
        assertEquals("%tokenizer: --corpus is required" + usage,
                assertThrows(MagicUsageException.class, () -> m.tokenizer(List.of("train", "--out", "x"))).getMessage());
        assertEquals("%tokenizer: --type wordpiece is not a choice; use bpe, char or sentencepiece" + usage,
                assertThrows(MagicUsageException.class,
                        () -> m.tokenizer(List.of("train", "--type", "wordpiece", "--corpus", sotu, "--out", "x"))).getMessage());
        assertEquals("%tokenizer: --holdout 0.9 is out of range; give a number from 0 to 0.5" + usage,
                assertThrows(MagicUsageException.class,
                        () -> m.tokenizer(List.of("train", "--holdout", "0.9", "--corpus", sotu, "--out", "x"))).getMessage());
        assertEquals("%tokenizer: --vocab lots is not a whole number of at least 0" + usage,
                assertThrows(MagicUsageException.class,
                        () -> m.tokenizer(List.of("train", "--vocab", "lots", "--corpus", sotu, "--out", "x"))).getMessage());
    }
}
