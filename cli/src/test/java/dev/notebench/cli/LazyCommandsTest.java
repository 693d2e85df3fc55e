package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./notebench} builds the model of the command a line names, not of every command. */
class LazyCommandsTest {

    private static List<String> commands(String... args) {
        return List.copyOf(Notebench.commandLine(new Notebench(), args).getSubcommands().keySet());
    }

    @Test
    void aLineThatNamesACommandBuildsThatCommandAlone() {
        assertEquals(List.of("tokenizer"), commands("tokenizer", "train", "--corpus", "x", "--out", "y"));
        assertEquals(List.of("score"), commands("score", "--help"));
    }

    @Test
    void theGlobalOptionsAndTheirValuesAreSkippedToFindTheCommand() {
        assertEquals(List.of("enrich"), commands("--log-level", "DEBUG", "--log-format=json", "enrich", "--help"));
    }

    @Test
    void helpNoCommandAndAMisspeltCommandSeeEveryCommand() {
        List<String> all = commands();
        assertEquals(List.of("kernel", "tokenizer", "train", "generate", "score", "eval", "export", "runs", "report", "serve", "embed",
                "cache", "arrange", "enrich", "associations", "batch", "batch-task", "demo", "help"), all);
        assertEquals(all, commands("help", "score"));
        assertEquals(all, commands("trian", "--steps", "3"));
        assertEquals(all, commands("--log-level", "INFO"));
    }

    @Test
    void aCommandBuiltAloneHasItsDeclaredOptionsAndTheGlobalOnes() {
        CommandLine score = Notebench.commandLine(new Notebench(), new String[] {"score"}).getSubcommands().get("score");
        assertEquals(List.of("--help", "--version", "--run", "--model", "--top-k", "--json", "--log-format", "--log-level"),
                score.getCommandSpec().options().stream().map(o -> o.longestName()).toList());
    }
}
