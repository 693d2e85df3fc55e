package dev.notebench.embed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.OptionValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedOptionsTest {
    @TempDir
    Path tmp;

    private static String refused(Runnable r) {
        NotebenchException e = assertThrows(NotebenchException.class, r::run);
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        return e.getMessage();
    }

    @Test
    void textsAreTheWordsThenTheFileLinesThenTheColumnCells() throws Exception {
        Path file = Files.writeString(tmp.resolve("t.txt"), " lion \n\ntiger\n");
        Path csv = Files.writeString(tmp.resolve("t.csv"), "id,name\n1,wolf\n2,\n3,\"house cat\"\n");
        OptionValues v = EmbedOptions.EMBED.parse(List.of("kitten", "--file", file.toString(), "--csv", csv.toString(),
                "--column", "name"));
        assertEquals(List.of("kitten", "lion", "tiger", "wolf", "house cat"), EmbedOptions.texts(v));
    }

    @Test
    void aCsvWithoutItsColumnOrNoTextsAtAllAreRefused() {
        assertEquals("give --csv FILE and --column NAME together",
                refused(() -> EmbedOptions.texts(EmbedOptions.EMBED.parse(List.of("--csv", "t.csv")))));
        assertEquals("give the texts to embed, each as one argument, --file with one per line, or --csv FILE --column NAME",
                refused(() -> EmbedOptions.texts(EmbedOptions.EMBED.parse(List.of()))));
    }

    @Test
    void theModelIsOneOfTheLocalModelsAndDefaultsToMiniLm() {
        assertEquals("all-minilm-l6-v2", EmbedOptions.EMBED.parse(List.of("x")).get(EmbedOptions.MODEL));
        assertEquals("bge-small-en-v1.5", EmbedOptions.EMBED.parse(List.of("--model", "BGE-small-en-v1.5", "x"))
                .get(EmbedOptions.MODEL));
        assertEquals("--model e5 is not a choice; use all-minilm-l6-v2 or bge-small-en-v1.5",
                refused(() -> EmbedOptions.EMBED.parse(List.of("--model", "e5", "x"))));
    }

    @Test
    void arrangeTakesOneTreeAndZeroThreadsMeansTheCores() {
        OptionValues v = EmbedOptions.ARRANGE.parse(List.of("tree.json", "--threads", "0"));
        assertEquals(Path.of("tree.json"), EmbedOptions.tree(v));
        assertEquals(Runtime.getRuntime().availableProcessors(), EmbedOptions.threads(v));
        assertEquals(3, EmbedOptions.threads(EmbedOptions.ARRANGE.parse(List.of("t.json", "--threads", "3"))));
        assertEquals("give one TREE file; 2 were given: [a.json, b.json]",
                refused(() -> EmbedOptions.tree(EmbedOptions.ARRANGE.parse(List.of("a.json", "b.json")))));
        assertEquals("--threads 1025 is out of range; give a number from 0 to 1024",
                refused(() -> EmbedOptions.ARRANGE.parse(List.of("t.json", "--threads", "1025"))));
    }

    @Test
    void theCacheCommandIsStatsClearOrVacuumAndClearsByModelOrAgeNotBoth() {
        assertEquals("clear", EmbedOptions.cacheCommand(EmbedOptions.CACHE_COMMAND.parse(List.of("clear", "--model", "old-model"))));
        assertEquals("unknown command 'drop'; use stats, clear or vacuum",
                refused(() -> EmbedOptions.cacheCommand(EmbedOptions.CACHE_COMMAND.parse(List.of("drop")))));
        assertEquals("give --model or --older-than-days, not both", refused(() -> EmbedOptions.cacheCommand(
                EmbedOptions.CACHE_COMMAND.parse(List.of("clear", "--model", "m", "--older-than-days", "3")))));
    }

    @Test
    void theGuardCountsTheDefaultCacheAsAnOutput() {
        Path cache = tmp.resolve("cache.sqlite");
        EmbeddingPaths paths = new EmbeddingPaths(cache, tmp.resolve("models"));
        assertEquals(cache, EmbedOptions.cacheFile(EmbedOptions.EMBED.parse(List.of("x")), paths));
        assertEquals("--cache " + cache + " is the same file as --file " + cache + "; writing it would destroy the input: give"
                + " --cache another path", refused(() -> EmbedOptions.guard(EmbedOptions.EMBED.parse(List.of("--file",
                cache.toString())), paths).check()));
    }
}
