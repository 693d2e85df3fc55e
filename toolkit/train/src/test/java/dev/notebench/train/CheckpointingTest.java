package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.optim.AdamW;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointingTest {
    @TempDir
    Path tmp;

    @Test
    void checkpointsArePeriodicOrAskedForTheBestIsKeptAndOnlyTheLastTwoStepsStay() throws Exception {
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "cp", 10), Clock.systemUTC());
        List<Long> heard = new ArrayList<>();
        RunListener ear = new RunListener() {
            @Override
            public void checkpoint(long step, Path cp) {
                heard.add(step);
                assertEquals(dir.checkpointsDir().resolve(RunDirectory.stepName(step)), cp);
            }
        };
        AtomicBoolean asked = new AtomicBoolean(true); // a checkpoint asked for before the first step
        try (NDManager m = NDManager.newBaseManager();
             LanguageModel model = ModelFamilies.get("gpt").create(ModelConfig.of("gpt", "n_layer", 1, "n_head", 1,
                     "d_model", 8, "seq_len", 4), 10, m);
             AdamW opt = new AdamW(model.parameters(), model::decays, 0.9, 0.95, 1e-8, 0.1, m)) {
            Training t = new Training(dir, model, opt, null, List.of(ear), () -> asked.getAndSet(false), Training.Start.FIRST);
            Checkpointing checkpointing = new Checkpointing(3);
            for (long step = 0; step < 10; step++) {
                t.step(step);
                if (step == 4) {
                    t.evaluated(2.0);
                }
                if (step == 7) {
                    t.evaluated(2.5); // no better: the best stays step 4's
                }
                checkpointing.stepEnded(t);
            }
        }
        assertEquals(List.of(0L, 2L, 5L, 8L), heard, "asked for, then every 3 steps; the last step's is the end's");
        assertEquals(List.of(dir.checkpointsDir().resolve("step-00000005"), dir.checkpointsDir().resolve("step-00000008")),
                dir.checkpoints());
        assertEquals(4, Checkpoint.state(dir.bestCheckpoint()).get("step").getAsLong());
        assertEquals(5, Checkpoint.state(dir.bestCheckpoint()).get("updates").getAsLong(), "weights only: step + 1");
        assertEquals(2.0, Checkpoint.state(dir.checkpointsDir().resolve("step-00000008")).get("best_val_loss").getAsDouble());
        assertEquals(1, Checkpoint.state(dir.checkpointsDir().resolve("step-00000008")).get("evals_since_best").getAsInt());
        assertEquals("running", RunDirectory.readJson(dir.path().resolve(RunDirectory.STATUS), "s").get("status").getAsString());
        assertEquals(8, RunDirectory.readJson(dir.path().resolve(RunDirectory.STATUS), "s").get("step").getAsLong(),
                "the status never lags the checkpoints");
    }

    @Test
    void anIntervalBelowOneIsRefused() {
        assertEquals("checkpoints are written every 1 or more steps, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Checkpointing(0)).getMessage());
    }
}
