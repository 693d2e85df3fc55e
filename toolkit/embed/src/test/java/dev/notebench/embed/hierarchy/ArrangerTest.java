package dev.notebench.embed.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.NotebenchException;
import dev.notebench.embed.Embedder;
import dev.notebench.embed.EmbeddingCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrangerTest {
    @TempDir
    Path tmp;

    /** A fake model: fixed 2-d vectors by name, or a hash-based vector for other names. */
    static final class FixedEmbedder implements Embedder {
        private final Map<String, float[]> fixed;

        FixedEmbedder(Map<String, float[]> fixed) {
            this.fixed = fixed;
        }

        @Override
        public String id() {
            return "fixed";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                float[] v = fixed.get(t);
                if (v == null) {
                    double a = (t.hashCode() & 0xffff) / 65536.0 * 2 * Math.PI;
                    v = new float[] {(float) Math.cos(a), (float) Math.sin(a)};
                }
                out.add(v);
            }
            return out;
        }
    }

    private static Path imagenet() {
        return Path.of(System.getProperty("notebench.home", "../..")).resolve("datasets/wordnet/imagenet-subtree.json");
    }

    @Test
    void childrenAreChainedFromTheOneNearestTheParentAndAnnotatedWithTheirNearestSibling() {
        Node tree = new Node("r", "animal", List.of(new Node("d", "dog", List.of()), new Node("c", "cat", List.of()),
                new Node("w", "wolf", List.of())));
        FixedEmbedder model = new FixedEmbedder(Map.of("animal", new float[] {1, 0}, "cat", new float[] {0.9f, 0.3f},
                "dog", new float[] {0.5f, 0.8f}, "wolf", new float[] {0.4f, 0.9f}));
        String yaml = new Arranger(model, null, 2).arrange(tree).yaml("fixed");
        assertEquals("""
                # arranged by Notebench: children ordered by semantic similarity (fixed); each node's comment names its nearest sibling and their cosine
                - name: animal
                  id: r
                  children:
                    - name: cat  # nearest sibling: dog (0.7710)
                      id: c
                    - name: dog  # nearest sibling: wolf (0.9902)
                      id: d
                    - name: wolf  # nearest sibling: dog (0.9902)
                      id: w
                """, yaml);
    }

    @Test
    void theArrangedImagenetTreeIsTheSameWithOneThreadOrSixAndWithOrWithoutTheCache() {
        Node tree = Trees.readJson(imagenet());
        assertEquals(366, tree.size());
        FixedEmbedder model = new FixedEmbedder(Map.of());
        String one = new Arranger(model, null, 1).arrange(tree).yaml(model.id());
        String six = new Arranger(model, null, 6).arrange(tree).yaml(model.id());
        assertEquals(one, six);
        try (EmbeddingCache cache = EmbeddingCache.open(tmp.resolve("c.sqlite"))) {
            assertEquals(one, new Arranger(model, cache, 6).arrange(tree).yaml(model.id()));
            assertEquals(one, new Arranger(model, cache, 3).arrange(tree).yaml(model.id()), "from the cache");
        }
        assertEquals(366, one.lines().filter(l -> l.trim().startsWith("- name: ")).count(), "every node once");
        assertTrue(one.contains("- name: carnivore\n  id: n02075296\n  children:\n"), one.substring(0, 300));
    }

    @Test
    void aFileThatIsNotATreeIsOneClearError() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"children\": []}", StandardCharsets.UTF_8);
        NotebenchException e = assertThrows(NotebenchException.class, () -> Trees.readJson(bad));
        assertEquals(bad + " is not a JSON tree: the node at $ has no name; give an object with name and children (a list"
                + " of such objects), or one under \"tree\"", e.getMessage());
    }

    @Test
    void aYamlTreeReadsAsItsJsonTwinAndAnArrangedTreeReadsBack() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("t.yaml"), String.join("\n",
                "name: animal",
                "children:",
                "  - {name: dog, id: n1}",
                "  - name: cat",
                "    children:",
                "      - name: lion",
                ""));
        Node tree = Trees.read(yaml);
        assertEquals(new Node("animal", "animal", List.of(new Node("n1", "dog", List.of()),
                new Node("cat", "cat", List.of(new Node("lion", "lion", List.of()))))), tree);
        String arranged = new Arranger(new FixedEmbedder(Map.of()), null, 1).arrange(tree).yaml("fixed");
        Path out = Files.writeString(tmp.resolve("arranged.yaml"), arranged);
        assertEquals(4, Trees.read(out).size(), "what arrange writes reads back as a tree");
        Path bad = Files.writeString(tmp.resolve("bad.yml"), "name: [unclosed");
        NotebenchException e = assertThrows(NotebenchException.class, () -> Trees.read(bad));
        assertTrue(e.getMessage().startsWith(bad + " is not valid YAML: "), e.getMessage());
    }
}
