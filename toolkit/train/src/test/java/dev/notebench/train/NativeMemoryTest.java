package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every array a step makes is freed with the step: resident memory stays flat over many steps. */
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
    void residentMemoryStaysFlatOverThousandsOfSteps() throws Exception {
        long[] rss = new long[2];
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "flat").steps(2000).eval(1000, 1).build());
        run.listener(new RunListener() {
            @Override
            public void step(Step s) {
                try {
                    if (s.step() == 300) {
                        System.gc();
                        rss[0] = rssKb();
                    } else if (s.step() == 1999) {
                        System.gc();
                        rss[1] = rssKb();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        assertEquals("completed", run.run().status());
        long growth = rss[1] - rss[0];
        assertTrue(growth < 20_000, "RSS grew by " + growth + " kB from step 300 to step 2000 (" + rss[0] + " -> " + rss[1] + ")");
    }
}
