package dev.notebench.embed.magic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.magics.MagicUsageException;
import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.magics.RecordingContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class EmbedMagicsTest {
    @TempDir
    Path tmp;
    private final RecordingContext context = new RecordingContext();
    private final List<Object> shown = context.shown;
    private final List<Object> updates = context.updates;

    @Test
    void embedGoesThroughTheSharedCacheAndShowsNeighboursAndCacheKeepsIt() {
        EmbedMagics m = new EmbedMagics(context, new EmbeddingPaths(tmp.resolve("cache.sqlite"), tmp.resolve("models")));
        List<float[]> v = m.embed(List.of("lion", "tiger", "a house cat"));
        assertEquals(3, v.size());
        assertEquals(384, v.get(0).length);
        assertEquals("starting...", ((dev.notebench.display.Html) shown.get(0)).text(), "a progress bar first");
        String bar = ((dev.notebench.display.Html) updates.get(updates.size() - 1)).text();
        assertTrue(bar.startsWith("embedding with all-minilm-l6-v2: 100% (3 of 3 texts, "), bar);
        assertTrue(((dev.notebench.display.Html) shown.get(1)).text().startsWith(
                "3 texts: 0 from the cache, 3 computed (all-minilm-l6-v2, 384-d) in "), shown.toString());
        shown.clear();
        m.embed(List.of("--nearest", "1", "lion", "kitten"));
        assertTrue(((dev.notebench.display.Html) shown.get(1)).text().startsWith("2 texts: 1 from the cache, 1 computed"));
        Table near = (Table) shown.get(2);
        assertEquals(List.of("lion", "kitten"), near.stringColumn("text").asList());
        assertEquals("a house cat", near.stringColumn("neighbour").get(1));

        Table stats = (Table) m.cache(List.of("stats", "--cache", tmp.resolve("cache.sqlite").toString()));
        assertEquals(List.of("all-minilm-l6-v2"), stats.stringColumn("model").asList());
        assertEquals(List.of(4L), stats.longColumn("entries").asList());
        assertEquals(4L, m.cache(List.of("clear", "--model", "all-minilm-l6-v2")));
        m.cache(List.of("vacuum"));
    }

    @Test
    void embedTakesATableColumn() throws Exception {
        EmbedMagics m = new EmbedMagics(context, new EmbeddingPaths(tmp.resolve("cache.sqlite"), tmp.resolve("models")));
        Path csv = java.nio.file.Files.writeString(tmp.resolve("t.csv"), "id,name\n1,lion\n2,\n3,\"house cat\"\n");
        List<float[]> v = m.embed(List.of("--csv", csv.toString(), "--column", "name"));
        assertEquals(2, v.size(), "the blank cell is skipped");
        assertArrayEquals(m.embed(List.of("lion")).get(0), v.get(0));
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> m.embed(List.of("--csv", csv.toString())));
        assertTrue(e.getMessage().contains("give --csv FILE and --column NAME together"), e.getMessage());
        dev.notebench.NotebenchException missing = assertThrows(dev.notebench.NotebenchException.class,
                () -> m.embed(List.of("--csv", csv.toString(), "--column", "nom")));
        assertEquals(csv + " has no column 'nom'; its columns are [id, name]", missing.getMessage());
    }

    @Test
    void wrongArgumentsAreOneLineWithTheUsage() {
        EmbedMagics m = new EmbedMagics(context, new EmbeddingPaths(tmp.resolve("cache.sqlite"), tmp.resolve("models")));
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> m.embed(List.of()));
        assertTrue(e.getMessage().contains("give the texts to embed, each as one argument"), e.getMessage());
        e = assertThrows(MagicUsageException.class, () -> m.cache(List.of("drop")));
        assertTrue(e.getMessage().contains("unknown command 'drop'; use stats, clear or vacuum"), e.getMessage());
    }

    @Test
    void arrangeShowsTheTreeOrderedByMeaningAndWritesIt() throws Exception {
        EmbedMagics m = new EmbedMagics(context, new EmbeddingPaths(tmp.resolve("cache.sqlite"), tmp.resolve("models")));
        Path tree = java.nio.file.Files.writeString(tmp.resolve("t.yaml"), "name: animal\nchildren:\n  - name: dog\n"
                + "  - name: stone\n  - name: puppy\n");
        String yaml = m.arrange(List.of(tree.toString(), "--out", tmp.resolve("a.yaml").toString(), "--threads", "2"));
        assertEquals(yaml, java.nio.file.Files.readString(tmp.resolve("a.yaml")));
        assertTrue(yaml.contains("- name: puppy  # nearest sibling: dog ("), yaml);
        String shown = ((dev.notebench.display.Html) context.shown.get(context.shown.size() - 1)).text();
        assertTrue(shown.startsWith("4 nodes arranged; written to " + tmp.resolve("a.yaml") + "\n# arranged by Notebench"), shown);
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> m.arrange(List.of()));
        assertTrue(e.getMessage().contains("%arrange"), e.getMessage());
    }
}
