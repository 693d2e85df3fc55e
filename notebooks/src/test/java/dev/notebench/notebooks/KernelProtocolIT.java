package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel as a Jupyter front end sees it: driven by jupyter_client over ZeroMQ, checking the
 * messages that come back for output, displays and their updates, errors, interrupt, completion.
 */
class KernelProtocolIT {
    @TempDir
    static Path tmp;
    static JsonObject seen;

    @BeforeAll
    static void driveTheKernel() throws Exception {
        JupyterSandbox jupyter = JupyterSandbox.create(tmp.resolve("jupyter"));
        Path script = JupyterSandbox.projectHome().resolve("notebooks/src/test/python/kernel_protocol.py");
        ProcessBuilder pb = new ProcessBuilder(jupyter.python().toString(), script.toString(), JupyterSandbox.KERNEL)
                .redirectError(tmp.resolve("stderr.txt").toFile());
        pb.environment().putAll(jupyter.env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "protocol script timed out");
        assertEquals(0, p.exitValue(), "protocol script failed:\n" + out + "\n"
                + java.nio.file.Files.readString(tmp.resolve("stderr.txt")));
        seen = JsonParser.parseString(out.strip().lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
    }

    private static List<String> strings(JsonArray a) {
        return a.asList().stream().map(e -> e.isJsonNull() ? null : e.getAsString()).toList();
    }

    @Test
    void kernelAnswersAsAJavaKernelAndRunsCells() {
        assertEquals("Java", seen.get("language").getAsString());
        assertEquals(List.of("Notebench", "kernel"), strings(seen.getAsJsonArray("banner_starts")));
        assertEquals(List.of("2"), strings(seen.getAsJsonArray("one_plus_one")));
        assertEquals("[[\"stdout\",\"out\\n\"],[\"stderr\",\"err\\n\"]]", seen.get("streams").toString());
    }

    @Test
    void displaysAreUpdatedInPlaceUnderOneDisplayId() {
        assertEquals("[[\"display_data\",\"tick 0\",true],[\"update_display_data\",\"tick 1\",true],"
                + "[\"update_display_data\",\"tick 2\",true],[\"update_display_data\",\"tick 3\",true]]",
                seen.get("display").toString());
        assertEquals(1, seen.get("display_ids").getAsInt());
    }

    @Test
    void backgroundThreadsUpdateADisplayAfterItsCellFinished() {
        assertEquals("after", seen.get("late_update").getAsString());
    }

    @Test
    void aBadMagicIsOneLineAndTheKernelStaysAlive() {
        JsonObject bad = seen.getAsJsonObject("bad_magic");
        assertEquals("error", bad.get("status").getAsString());
        assertEquals("UsageError", bad.get("ename").getAsString());
        assertEquals(List.of("\u001b[1;31mUsageError\u001b[0m: %help: missing required positional arguments: [magic]. Usage: %help MAGIC"),
                strings(bad.getAsJsonArray("traceback")));
        assertEquals(List.of("still alive"), strings(seen.getAsJsonArray("after_bad_magic")));
    }

    @Test
    void exceptionsAreBrief() {
        JsonObject e = seen.getAsJsonObject("exception");
        assertEquals("CellError", e.get("ename").getAsString());
        assertEquals("java.lang.IllegalArgumentException: bad value 7", e.get("evalue").getAsString());
        assertEquals(2, e.get("lines").getAsInt());
    }

    @Test
    void interruptStopsTheRunningCellAndTheKernelGoesOn() {
        JsonObject i = seen.getAsJsonObject("interrupt");
        assertEquals("error", i.get("status").getAsString());
        assertEquals("Interrupted", i.get("ename").getAsString());
        assertTrue(i.get("seconds").getAsDouble() < 10, i.toString());
        assertEquals(List.of("4"), strings(seen.getAsJsonArray("after_interrupt")));
    }

    @Test
    void interruptStopsABusyLoopThatNeverChecksForIt() {
        JsonObject i = seen.getAsJsonObject("busy_interrupt");
        System.out.println("busy loop stopped " + i.get("seconds").getAsDouble() + " s after the interrupt");
        assertEquals("error", i.get("status").getAsString());
        assertEquals("Interrupted", i.get("ename").getAsString());
        assertEquals("the cell was interrupted", i.get("evalue").getAsString(), "stopped, not left running in the background");
        // a stop check in the loop threw: not Thread.stop after a grace period (gone since JDK 20)
        assertEquals("spinning\nstopped by CellStopped\n", i.get("stdout").getAsString());
        assertEquals(List.of("6"), strings(seen.getAsJsonArray("after_busy_interrupt")));
    }

    @Test
    void systemExitAndRuntimeHaltInACellAreReportedAndTheKernelKeepsItsState() {
        String refused = " was called in this cell; the kernel keeps running. Restart the kernel from the front end to stop it.";
        for (String[] call : List.of(new String[] {"exit", "System.exit(1)"}, new String[] {"halt", "Runtime.halt(3)"})) {
            JsonObject e = seen.getAsJsonObject(call[0]);
            assertEquals("error", e.get("status").getAsString());
            assertEquals("CellError", e.get("ename").getAsString());
            assertEquals("dev.notebench.kernel.eval.ExitRefusedError: " + call[1] + refused, e.get("evalue").getAsString());
            assertEquals(List.of("\u001b[1;31mExitRefusedError\u001b[0m: " + call[1] + refused, "    at the cell"),
                    strings(e.getAsJsonArray("traceback")));
        }
        assertEquals(List.of("42"), strings(seen.getAsJsonArray("after_exit")));
    }

    @Test
    void aRestartShutsTheKernelDownByItselfAndANewOneRuns() {
        assertEquals(0, seen.get("restart_exit_code").getAsInt());
        assertEquals(List.of("10"), strings(seen.getAsJsonArray("after_restart")));
    }

    @Test
    void completionAndCompletenessWork() {
        JsonObject c = seen.getAsJsonObject("complete");
        assertEquals(List.of("toUpperCase("), strings(c.getAsJsonArray("matches")));
        assertEquals(6, c.get("start").getAsInt());
        assertEquals(11, c.get("end").getAsInt());
        assertEquals(List.of("maven", "mavenRepo"), strings(seen.getAsJsonArray("complete_magic")));
        assertEquals(List.of("incomplete", "    "), strings(seen.getAsJsonArray("is_complete")));
    }

    @Test
    void kernelShutsDownWhenAsked() {
        assertTrue(seen.get("shutdown_clean").getAsBoolean());
    }
}
