package dev.notebench.kernel.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.kernel.eval.CellEvaluator;
import dev.notebench.kernel.eval.CellException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent in a JVM of its own, started as the kernelspec starts the kernel. */
class KernelAgentTest {
    private static final String REFUSED = " was called in this cell; the kernel keeps running."
            + " Restart the kernel from the front end to stop it.";

    /** Runs cells that try to end the JVM, then ends it from its main thread, as the kernel does on shutdown. */
    public static final class Probe {
        public static void main(String[] args) {
            try (CellEvaluator cells = CellEvaluator.builder().build()) {
                for (String code : List.of("int kept = 41;", "System.exit(1);", "Runtime.getRuntime().halt(2);", "kept + 1")) {
                    try {
                        System.out.println("value " + cells.eval(code));
                    } catch (CellException e) {
                        System.out.println(e.getClass().getSimpleName() + " " + e.getMessage());
                    }
                }
            }
            System.exit(3);
        }
    }

    @Test
    void theTestJvmRunsWithTheGuardInstalledAsTheKernelDoes() {
        assertEquals("", KernelAgent.exitGuardProblem());
        assertTrue(KernelAgent.exitGuardInstalled());
    }

    @Test
    void cellsCannotEndTheJvmButItsOwnMainThreadStillCan() throws Exception {
        Path agent = Path.of(System.getProperty("notebench.kernel.agent"));
        assertTrue(Files.isRegularFile(agent), agent + " is built before the tests (process-classes)");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(List.of("value null",
                "CellError dev.notebench.kernel.eval.ExitRefusedError: System.exit(1)" + REFUSED,
                "CellError dev.notebench.kernel.eval.ExitRefusedError: Runtime.halt(2)" + REFUSED,
                "value 42"), out.lines().toList());
        assertEquals(3, p.exitValue(), out);
    }
}
