package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.tables.CsvTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM killed with SIGKILL in the middle of a job, then resumed: the output is the one of an uninterrupted run. */
class KilledRunResumesTest {
    @TempDir
    Path dir;

    private Process child(String baseUrl, Path in, Path out, boolean resume, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                EnrichChild.class.getName(), baseUrl, in.toString(), out.toString()));
        if (resume) {
            cmd.add("resume");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static Set<Integer> journalled(Path journal) throws IOException {
        Set<Integer> ids = new HashSet<>();
        List<String> lines = Files.readAllLines(journal);
        for (String line : lines.subList(1, lines.size())) {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            o.getAsJsonArray("done").forEach(p -> ids.add(p.getAsJsonArray().get(0).getAsInt()));
        }
        return ids;
    }

    @Test
    void aRunKilledMidwayAndResumedWritesExactlyTheUninterruptedOutputAskingNoJournalledRowAgain() throws Exception {
        int rows = 300;
        Path in = dir.resolve("mail.csv");
        CsvTables.write(EnricherProtocolTest.table(rows), in);
        Path reference = dir.resolve("reference.csv");
        Path out = dir.resolve("out.csv");
        Path journal = EnrichJob.journalOf(out);
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth)
                .script(c -> new FakeChatServer.Reply().delay(40)).start()) {
            Process whole = child(server.baseUrl(), in, reference, false, dir.resolve("whole.log"));
            assertTrue(whole.waitFor(120, TimeUnit.SECONDS), "the uninterrupted run finished");
            assertEquals(0, whole.exitValue(), Files.readString(dir.resolve("whole.log")));
            int[] asksBefore = new int[rows];
            for (int id = 0; id < rows; id++) {
                asksBefore[id] = server.asks(id);
            }

            Process killed = child(server.baseUrl(), in, out, false, dir.resolve("killed.log"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(journal) || Files.readAllLines(journal).size() < 15) {
                assertTrue(System.nanoTime() < deadline && killed.isAlive(), "the run to kill journalled fewer than 15 batches");
                Thread.sleep(5);
            }
            killed.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, killed.exitValue(), "killed by SIGKILL");
            Set<Integer> done = journalled(journal);
            assertTrue(done.size() >= 14 * 5 && done.size() < rows, "killed midway: " + done.size() + " rows journalled");
            int[] asksAtKill = new int[rows];
            for (int id = 0; id < rows; id++) {
                asksAtKill[id] = server.asks(id);
            }

            Process resumed = child(server.baseUrl(), in, out, true, dir.resolve("resumed.log"));
            assertTrue(resumed.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, resumed.exitValue(), Files.readString(dir.resolve("resumed.log")));
            assertEquals(Files.readString(reference), Files.readString(out));
            for (int id : done) {
                assertEquals(asksAtKill[id], server.asks(id), "row " + id + " was journalled and must not be asked again");
                assertEquals(asksBefore[id] + 1, asksAtKill[id], "row " + id + " was asked once before the kill");
            }
            for (int id = 0; id < rows; id++) {
                assertTrue(server.asks(id) - asksBefore[id] >= 1, "row " + id + " asked");
            }
            assertTrue(Files.readString(dir.resolve("resumed.log")).contains("resumed"), Files.readString(dir.resolve("resumed.log")));
        }
    }
}
