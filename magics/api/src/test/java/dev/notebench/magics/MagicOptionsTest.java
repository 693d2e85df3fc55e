package dev.notebench.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MagicOptionsTest {
    private static final Option<Integer> STEPS = Option.integer("steps", 1, 1000).defaultValue(10).help("steps");
    private static final Option<Path> RUN = Option.path("run").label("RUN_DIR").help("the run");
    private static final MagicOptions TRAIN = MagicOptions.of("%train", OptionSet.of(STEPS))
            .withCommand("attach", OptionSet.of(RUN)).withCommand("cancel", OptionSet.of());
    private static final MagicOptions TOK = MagicOptions.commands("%tok").withCommand("encode", OptionSet.of(RUN)
            .positional("TEXT", "the text", 1));

    @Test
    void usageAndHelpComeFromTheDeclaredForms() {
        assertEquals("%train [--steps N]  |  %train attach [--run RUN_DIR]  |  %train cancel", TRAIN.usage());
        assertEquals("%tok encode [--run RUN_DIR] TEXT...", TOK.usage());
        assertEquals(String.format("  %-34s %s%n", "--steps N", "steps (a whole number from 1 to 1000; default: 10)") + "\n"
                + "%train attach:\n" + String.format("  %-34s %s%n", "--run RUN_DIR", "the run"), TRAIN.help());
    }

    @Test
    void aCallIsTheMagicsOwnFormOrASubCommand() {
        MagicOptions.Invocation own = TRAIN.parseCommand(List.of("--steps", "5"));
        assertEquals("", own.command());
        assertEquals(5, own.values().get(STEPS));
        MagicOptions.Invocation attach = TRAIN.parseCommand(List.of("attach", "--run", "runs/a"));
        assertEquals("attach", attach.command());
        assertEquals(Path.of("runs/a"), attach.values().get(RUN));
        assertEquals(List.of("hello", "world"), TOK.parseCommand(List.of("encode", "hello", "world")).values().positional());
    }

    @Test
    void mistakesAreOneLineWithTheUsage() {
        assertEquals("%train: --steps 0 is out of range; give a number from 1 to 1000. Usage: " + TRAIN.usage(),
                assertThrows(MagicUsageException.class, () -> TRAIN.parseCommand(List.of("--steps", "0"))).getMessage());
        assertEquals("%train: unknown command 'stop'; use attach or cancel. Usage: " + TRAIN.usage(),
                assertThrows(MagicUsageException.class, () -> TRAIN.parseCommand(List.of("stop"))).getMessage());
        assertEquals("%tok: give a command: encode. Usage: " + TOK.usage(),
                assertThrows(MagicUsageException.class, () -> TOK.parseCommand(List.of())).getMessage());
        assertEquals("%tok: give TEXT after the options. Usage: " + TOK.usage(),
                assertThrows(MagicUsageException.class, () -> TOK.parse(List.of("encode"))).getMessage());
        assertEquals("%train: the learning rate is too high. Usage: " + TRAIN.usage(),
                assertThrows(MagicUsageException.class, () -> TRAIN.checked(() -> {
                    throw new dev.notebench.NotebenchException(dev.notebench.ErrorCode.CONFIG_INVALID, "the learning rate is too high");
                })).getMessage());
    }
}
