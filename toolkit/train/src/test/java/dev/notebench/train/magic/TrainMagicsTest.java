package dev.notebench.train.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.magics.MagicCatalog;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.NotebookContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainMagicsTest {
    private final NotebookContext context = new NotebookContext() {
        private final MagicCatalog catalog = new MagicCatalog(new Magics());

        @Override
        public Renderer renderer() {
            return new Renderer();
        }

        @Override
        public Display display() {
            return value -> DisplayHandle.NONE;
        }

        @Override
        public void addToClasspath(Path entry) {
        }

        @Override
        public List<Path> addedClasspath() {
            return List.of();
        }

        @Override
        public List<Path> classpath() {
            return List.of();
        }

        @Override
        public Object eval(String code) {
            return null;
        }

        @Override
        public MagicCatalog magics() {
            return catalog;
        }
    };

    @Test
    void wrongArgumentsAreOneLineWithTheUsage() {
        TrainMagics m = new TrainMagics(context);
        assertEquals("%train: give --tokenizer and --corpus, or --resume RUN_DIR. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("--steps", "10"))).getMessage());
        assertEquals("%train: --set takes KEY=VALUE, got 'n_layer'. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--set", "n_layer"))).getMessage());
        assertEquals("%train: no run is training in the background of this kernel. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("cancel"))).getMessage());
        assertEquals("%train: unknown precision 'fp8'; use fp32, fp16 or bf16. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--precision", "fp8"))).getMessage());
        assertEquals("%generate: --run is required. Usage: " + TrainMagics.GENERATE_USAGE,
                assertThrows(MagicUsageException.class, () -> m.generate(List.of("hello"))).getMessage());
        assertEquals("%generate: --max-new-tokens must be between 1 and 512, got 1000. Usage: " + TrainMagics.GENERATE_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.generate(List.of("--run", "r", "--max-new-tokens", "1000", "hi"))).getMessage());
        assertEquals("%score: --run is required. Usage: " + TrainMagics.SCORE_USAGE,
                assertThrows(MagicUsageException.class, () -> m.score(List.of("x"))).getMessage());
    }

    @Test
    void typedValuesParseNumbersAndSwitches() {
        assertEquals(4L, TrainMagics.typed("4"));
        assertEquals(0.1, TrainMagics.typed("0.1"));
        assertEquals(true, TrainMagics.typed("TRUE"));
        assertEquals("x", TrainMagics.typed("x"));
    }
}
