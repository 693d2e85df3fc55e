package dev.notebench.embed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process that writes into a shared cache, for the multi-process tests. Modes:
 * {@code write FILE WORKER} writes FILE.waiting-WORKER, waits for FILE.go so that all workers start
 * together, then puts texts t[WORKER*50, WORKER*50+200) in batches of 25; {@code hold FILE} commits batch "a0..a9", then
 * opens a raw write transaction with "b0..b9" in it, writes FILE.ready and sleeps until killed.
 */
public final class CacheWriter {
    private CacheWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        if (args[0].equals("write")) {
            int worker = Integer.parseInt(args[2]);
            Path go = Path.of(args[1] + ".go");
            Files.writeString(Path.of(args[1] + ".waiting-" + worker), "waiting for " + go);
            while (!Files.exists(go)) {
                Thread.sleep(5);
            }
            try (EmbeddingCache c = EmbeddingCache.open(file)) {
                for (int from = worker * 50; from < worker * 50 + 200; from += 25) {
                    Map<String, float[]> batch = new LinkedHashMap<>();
                    for (int i = from; i < from + 25; i++) {
                        batch.put("t" + i, FakeEmbedder.vector("t" + i, 32));
                    }
                    c.put("fake-32", batch);
                }
            }
            return;
        }
        try (EmbeddingCache c = EmbeddingCache.open(file)) {
            Map<String, float[]> a = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                a.put("a" + i, FakeEmbedder.vector("a" + i, 32));
            }
            c.put("fake-32", a);
        }
        java.sql.Connection raw = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        raw.setAutoCommit(false);
        try (java.sql.PreparedStatement ps = raw.prepareStatement("INSERT INTO embeddings (key, model, dim, vector, text,"
                + " created, last_used) VALUES (?, 'fake-32', 32, ?, ?, 0, 0)")) {
            for (int i = 0; i < 10; i++) {
                ps.setBytes(1, EmbeddingCache.key("fake-32", "b" + i));
                ps.setBytes(2, EmbeddingCache.encode(FakeEmbedder.vector("b" + i, 32)));
                ps.setString(3, "b" + i);
                ps.executeUpdate();
            }
        }
        Files.writeString(Path.of(args[1] + ".ready"), "in the middle of a transaction");
        Thread.sleep(600_000);
    }
}
