package dev.notebench.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Progress#onFirstStage}: nothing is made or shown until a stage starts. */
class OnFirstStageTest {
    private final List<String> calls = new ArrayList<>();
    private int made;

    private Progress recording() {
        made++;
        return new Progress() {
            @Override
            public void stage(String name, long total, String unit, long from) {
                calls.add("stage " + name + " " + total + " " + unit + " " + from);
            }

            @Override
            public void update(long done) {
                calls.add("update " + done);
            }

            @Override
            public void advance(long n) {
                calls.add("advance " + n);
            }

            @Override
            public void note(String text) {
                calls.add("note " + text);
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
    }

    @Test
    void aJobWithNoStageMakesAndShowsNothing() {
        try (Progress p = Progress.onFirstStage(this::recording)) {
            p.update(3);
            p.advance(1);
            p.note("found in the cache");
        }
        assertEquals(0, made);
        assertEquals(List.of(), calls);
    }

    @Test
    void theFirstStageMakesTheProgressOnceAndEverythingAfterReachesIt() {
        try (Progress p = Progress.onFirstStage(this::recording)) {
            p.advance(5); // before any stage: dropped
            p.stage("download", 100, "bytes");
            p.update(40);
            p.advance(10);
            p.note("model.safetensors");
            p.stage("download", 7, "bytes", 2);
        }
        assertEquals(1, made);
        assertEquals(List.of("stage download 100 bytes 0", "update 40", "advance 10", "note model.safetensors",
                "stage download 7 bytes 2", "close"), calls);
    }
}
