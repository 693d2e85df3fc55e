package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    private static String refusal(Path dir, String who) {
        return "run " + dir + " is being trained by " + who + "; wait for it to end, or stop it with train --cancel " + dir;
    }

    @Test
    void aRunHasOneOwnerInThisProcessAndIsFreeAgainWhenItIsClosed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        try (RunLock first = RunLock.acquire(dir)) {
            NotebenchException e = assertThrows(NotebenchException.class, () -> RunLock.acquire(dir));
            assertEquals(ErrorCode.MODEL_TRAIN_FAILED, e.code());
            assertEquals(refusal(dir, "this process (pid " + PID + " on host " + RunLock.hostName()
                    + "; e.g. a training started in the background)"), e.getMessage());
            assertEquals(Optional.of(first.owner()), RunLock.owner(dir));
            assertTrue(first.owner().isThisProcess());
        }
        assertEquals(Optional.empty(), RunLock.owner(dir));
        try (RunLock again = RunLock.acquire(dir)) {
            assertEquals(PID, again.owner().pid());
        }
    }

    @Test
    void anotherProcessIsRefusedNamingTheOwnerEvenAfterThisProcessLookedAtTheLock() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        try (RunLock owner = RunLock.acquire(dir)) {
            // POSIX drops a process's lock when it closes any descriptor of the file: looking must not
            for (int i = 0; i < 3; i++) {
                assertEquals(Optional.of(owner.owner()), RunLock.owner(dir));
            }
            assertEquals(refusal(dir, "process " + PID + " on host " + RunLock.hostName() + " (since " + owner.owner().since() + ")"),
                    inAnotherProcess(dir));
        }
        String taken = inAnotherProcess(dir);
        assertTrue(taken.matches("owned by \\d+") && !taken.equals("owned by " + PID), taken);
        // the lock file names its last owner
        JsonObject last = JsonParser.parseString(Files.readString(dir.resolve(RunLock.FILE), StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals(Long.parseLong(taken.substring("owned by ".length())), last.get("pid").getAsLong());
        assertEquals(RunLock.hostName(), last.get("host").getAsString());
    }

    @Test
    void aMissingRunDirectoryCannotBeOwned() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> RunLock.acquire(tmp.resolve("nowhere")));
        assertEquals("run directory " + tmp.resolve("nowhere") + " does not exist", e.getMessage());
    }

    /** Runs {@link LockProbe} in a JVM of its own and returns what it printed. */
    static String inAnotherProcess(Path dir) throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), dir.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        return out;
    }
}
