package dev.notebench.train;

import dev.notebench.train.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/** Run directories and training states made by hand, for tests of the types around the loop. */
final class HandMadeRuns {
    private HandMadeRuns() {
    }

    /** A configuration of a run of {@code steps} steps that is never trained (its files do not exist). */
    static TrainConfig config(Path runsDir, String runId, int steps) {
        return TrainConfig.builder(ModelConfig.of("gpt"), Path.of("tok"), "corpus.txt").runsDir(runsDir).runId(runId)
                .steps(steps).build();
    }

    /** A run directory with the manifest of a configuration, and nothing else. */
    static RunDirectory run(TrainConfig config, Clock clock) throws Exception {
        Path dir = config.runsDir().resolve(config.runId());
        Files.createDirectories(dir.resolve(RunDirectory.CHECKPOINTS));
        RunDirectory.writeJson(dir.resolve(RunDirectory.MANIFEST), java.util.Map.of("config", ConfigJson.toMap(config)));
        return RunDirectory.open(dir).withClock(clock);
    }

    /** The state of a run at a step, with neither model nor optimizer. */
    static Training at(RunDirectory dir, long step) {
        return new Training(dir, null, null, null, List.of(), () -> false, new Training.Start(step, Double.POSITIVE_INFINITY, 0));
    }

    /** A clock a test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
