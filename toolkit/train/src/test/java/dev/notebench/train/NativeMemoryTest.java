package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every array a step makes is freed with the step: the number of live arrays is the same after
 * thousands of steps, and resident memory stays flat.
 *
 * <p>The module's test JVM has a fixed Java heap, touched at start (see its pom), so that resident
 * memory changes only with native memory; freed native memory goes back to the system before each
 * reading, so that what is read is memory in use.
 */
class NativeMemoryTest {
    @TempDir
    Path tmp;

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void liveArraysAndResidentMemoryStayFlatOverThousandsOfSteps() throws Exception {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long maxHeap = Runtime.getRuntime().maxMemory();
        // Every manager hangs off the engine's system manager, which counts the arrays of all of them.
        NDManager system;
        try (NDManager probe = NDManager.newBaseManager("PyTorch")) {
            system = probe.getParentManager();
        }
        NativeHeap nativeHeap = NativeHeap.ofProcess();
        long[] rss = new long[2];
        int[] arrays = new int[2];
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "flat").steps(2000).eval(1000, 1).build());
        run.listener(new RunListener() {
            @Override
            public void step(Step s) {
                int i = s.step() == 300 ? 0 : s.step() == 1999 ? 1 : -1;
                if (i < 0) {
                    return;
                }
                try {
                    arrays[i] = system.getManagedArrays().size();
                    nativeHeap.release(); // count memory in use, not freed memory the allocator keeps
                    rss[i] = rssKb();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        assertEquals(RunState.COMPLETED, run.run().status());
        assertTrue(arrays[0] > 0, "the system manager saw no arrays");
        assertEquals(arrays[0], arrays[1], "live arrays at step 300 and at step 1999");
        assertEquals(heap, maxHeap, "the test JVM's heap must be fixed (-Xms = -Xmx), see the train module's pom");
        long growth = rss[1] - rss[0];
        assertTrue(growth < 20_000, "RSS grew by " + growth + " kB from step 300 to step 2000 (" + rss[0] + " -> " + rss[1] + ")");
    }
}
