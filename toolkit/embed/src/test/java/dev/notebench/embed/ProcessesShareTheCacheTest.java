package dev.notebench.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes on one SQLite file: concurrent writers, and a writer killed mid-transaction. */
class ProcessesShareTheCacheTest {
    @TempDir
    Path tmp;

    private static Process start(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CacheWriter.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void eightProcessesWritingOverlappingKeysAtOnceLoseNothingAndDuplicateNothing() throws Exception {
        Path file = tmp.resolve("shared.sqlite");
        try (EmbeddingCache c = EmbeddingCache.open(file)) {
            assertEquals(0, c.stats().entries()); // made before the writers race to make it
        }
        List<Process> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(start(tmp.resolve("w" + w + ".log"), "write", file.toString(), String.valueOf(w)));
        }
        // release them together once every JVM has started and waits for the go
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (int w = 0; w < 8; w++) {
            while (!Files.exists(Path.of(file + ".waiting-" + w))) {
                int worker = w;
                assertTrue(workers.get(w).isAlive(), () -> "worker " + worker + " died: " + read(tmp.resolve("w" + worker + ".log")));
                assertTrue(System.nanoTime() < deadline, "worker " + w + " never started");
                Thread.sleep(20);
            }
        }
        Files.writeString(Path.of(file + ".go"), "go");
        for (int w = 0; w < 8; w++) {
            assertTrue(workers.get(w).waitFor(2, TimeUnit.MINUTES), "worker " + w + " hung");
            assertEquals(0, workers.get(w).exitValue(), Files.readString(tmp.resolve("w" + w + ".log")));
        }
        try (EmbeddingCache c = EmbeddingCache.open(file)) {
            assertEquals("ok", c.integrityCheck());
            assertEquals(7 * 50 + 200, c.stats().entries(), "t0 .. t549, each once");
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 550; i++) {
                all.add("t" + i);
            }
            Map<String, float[]> got = c.get("fake-32", all);
            assertEquals(550, got.size());
            for (String t : all) {
                assertArrayEquals(FakeEmbedder.vector(t, 32), got.get(t), t);
            }
        }
    }

    @Test
    void aWriterKilledInTheMiddleOfATransactionLeavesTheCacheAsItWasBefore() throws Exception {
        Path file = tmp.resolve("killed.sqlite");
        Process holder = start(tmp.resolve("holder.log"), "hold", file.toString());
        Path ready = Path.of(file + ".ready");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!Files.exists(ready)) {
            assertTrue(holder.isAlive(), () -> "holder died: " + read(tmp.resolve("holder.log")));
            assertTrue(System.nanoTime() < deadline, "the holder never got into its transaction");
            Thread.sleep(20);
        }
        holder.destroyForcibly(); // SIGKILL on Unix
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        try (EmbeddingCache c = EmbeddingCache.builder(file).busyTimeout(java.time.Duration.ofSeconds(10)).open()) {
            assertEquals("ok", c.integrityCheck());
            assertEquals(10, c.stats().entries(), "the committed batch, not the killed one");
            assertEquals(10, c.get("fake-32", List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9")).size());
            assertEquals(Map.of(), c.get("fake-32", List.of("b0", "b5")));
            c.put("fake-32", Map.of("c0", FakeEmbedder.vector("c0", 32)));
            assertEquals(11, c.stats().entries(), "and the lock died with the process");
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
