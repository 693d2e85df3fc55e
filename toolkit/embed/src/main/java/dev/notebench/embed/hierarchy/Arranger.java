package dev.notebench.embed.hierarchy;

import dev.notebench.embed.Vectors;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.embed.Embedder;
import dev.notebench.embed.EmbeddingCache;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Arranges a class tree by meaning: every node's name is embedded (each group of siblings a task
 * on a thread pool that shares one model, through the cache when there is one), then, on the
 * calling thread only, each node's children are ordered so that similar siblings sit together,
 * and each is annotated with its nearest sibling and their cosine. The order starts with the
 * child nearest its parent and repeatedly takes the unplaced child nearest the last one placed;
 * ties go to the smaller id. The result does not depend on the number of threads.
 *
 * <pre>{@code
 * Arranged tree = new Arranger(model, cache, 4).arrange(Trees.readJson(Path.of("datasets/wordnet/imagenet-subtree.json")));
 * Files.writeString(Path.of("arranged.yaml"), tree.yaml(model.id()));
 * }</pre>
 */
public final class Arranger {
    private final Embedder embedder;
    private final EmbeddingCache cache;
    private final int threads;

    /**
     * Creates an arranger.
     *
     * @param embedder the model, shared by every thread
     * @param cache a cache to read and fill, or null for none
     * @param threads how many sibling groups are embedded at once
     */
    public Arranger(Embedder embedder, EmbeddingCache cache, int threads) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.cache = cache;
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " must be at least 1");
        }
        this.threads = threads;
    }

    /**
     * An arranged node: the node, its children in their new order, and its nearest sibling.
     *
     * @param node the original node
     * @param children the arranged children, in their new order
     * @param nearestSibling the name of the most similar sibling, or null for an only child or the root
     * @param score the cosine with that sibling (NaN without one)
     */
    public record Arranged(Node node, List<Arranged> children, String nearestSibling, double score) {
        /** The tree as YAML: name, id, children; a comment after each name gives its nearest sibling. */
        public String yaml(String model) {
            StringBuilder b = new StringBuilder("# arranged by Notebench: children ordered by semantic similarity (")
                    .append(model).append("); each node's comment names its nearest sibling and their cosine\n");
            write(b, this, 0);
            return b.toString();
        }

        private static void write(StringBuilder b, Arranged a, int depth) {
            String pad = "  ".repeat(2 * depth);
            b.append(pad).append("- name: ").append(quote(a.node().name()));
            if (a.nearestSibling() != null) {
                b.append(String.format(Locale.ROOT, "  # nearest sibling: %s (%.4f)", a.nearestSibling(), a.score()));
            }
            b.append('\n').append(pad).append("  id: ").append(quote(a.node().id())).append('\n');
            if (!a.children().isEmpty()) {
                b.append(pad).append("  children:\n");
                for (Arranged c : a.children()) {
                    write(b, c, depth + 1);
                }
            }
        }

        private static String quote(String s) {
            boolean plain = !s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == ' ' || c == '-'
                    || c == '_' || c == '.' || c == '\'') && !Character.isWhitespace(s.charAt(0))
                    && !Character.isWhitespace(s.charAt(s.length() - 1));
            return plain ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    /**
     * Embeds and arranges a tree.
     *
     * @param root the tree
     * @return the arranged tree
     */
    public Arranged arrange(Node root) {
        // sibling groups, breadth first: the root alone, then each node's children
        List<List<Node>> groups = new ArrayList<>();
        groups.add(List.of(root));
        Deque<Node> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            if (!n.children().isEmpty()) {
                groups.add(n.children());
                queue.addAll(n.children());
            }
        }
        Map<String, float[]> vectors = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "notebench-arrange");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (List<Node> group : groups) {
                List<String> names = group.stream().map(Node::name).toList();
                futures.add(pool.submit(() -> embed(names)));
            }
            for (int g = 0; g < groups.size(); g++) {
                List<float[]> v = futures.get(g).get();
                for (int i = 0; i < v.size(); i++) {
                    vectors.put(groups.get(g).get(i).name(), v.get(i));
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NotebenchException n) {
                throw n;
            }
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "embedding the tree failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotebenchException(ErrorCode.CANCELLED, "interrupted while embedding the tree", e);
        } finally {
            pool.shutdownNow();
        }
        return assemble(root, vectors, null, Double.NaN);
    }

    private List<float[]> embed(List<String> names) {
        return cache != null ? cache.embed(embedder, names) : embedder.embedAll(names);
    }

    private static Arranged assemble(Node node, Map<String, float[]> vectors, String nearest, double score) {
        List<Node> kids = node.children();
        int n = kids.size();
        if (n == 0) {
            return new Arranged(node, List.of(), nearest, score);
        }
        double[][] sim = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                sim[i][j] = sim[j][i] = Vectors.cosine(vectors.get(kids.get(i).name()), vectors.get(kids.get(j).name()));
            }
        }
        // the chain: nearest the parent first, then nearest the last placed
        boolean[] placed = new boolean[n];
        int[] order = new int[n];
        float[] parent = vectors.get(node.name());
        int current = -1;
        for (int k = 0; k < n; k++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (placed[i]) {
                    continue;
                }
                double s = current < 0 ? Vectors.cosine(parent, vectors.get(kids.get(i).name())) : sim[current][i];
                if (s > bestScore || (s == bestScore && kids.get(i).id().compareTo(kids.get(best).id()) < 0)) {
                    best = i;
                    bestScore = s;
                }
            }
            placed[best] = true;
            order[k] = best;
            current = best;
        }
        List<Arranged> children = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = order[k];
            String sibling = null;
            double siblingScore = Double.NaN;
            for (int j = 0; j < n; j++) {
                if (j != i && (sibling == null || sim[i][j] > siblingScore
                        || (sim[i][j] == siblingScore && kids.get(j).id().compareTo(idOf(kids, sibling)) < 0))) {
                    sibling = kids.get(j).name();
                    siblingScore = sim[i][j];
                }
            }
            children.add(assemble(kids.get(i), vectors, sibling, siblingScore));
        }
        return new Arranged(node, List.copyOf(children), nearest, score);
    }

    private static String idOf(List<Node> kids, String name) {
        for (Node k : kids) {
            if (k.name().equals(name)) {
                return k.id();
            }
        }
        return "";
    }
}
