package dev.notebench.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionSetTest {
    static final Option<Path> RUN = Option.path("run").label("RUN_DIR").help("the run").required();
    static final Option<Integer> TOP_K = Option.integer("top-k", 1, 20).defaultValue(3).help("predictions per position");
    static final Option<Double> TOP_P = Option.number("top-p", new ValueType.Range(0, false, 1, true)).defaultValue(1.0)
            .help("nucleus");
    static final Option<Long> SEED = Option.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE).defaultValue(42L).help("seed");
    static final Option<String> STOP = Option.string("stop").repeatable().help("stop text");
    static final Option<Boolean> ECHO = Option.flag("echo").help("echo the prompt");
    static final Option<Map.Entry<String, String>> SET = Option.keyValue("set").repeatable().help("a setting");
    static final Option<String> DEVICE = Option.choice("device", "auto", "cpu", "cuda").defaultValue("auto").help("where");
    static final OptionSet SET_OF = OptionSet.of(RUN, TOP_K, TOP_P, SEED, STOP, ECHO, SET, DEVICE).positional("TEXT", "the text", 1);

    private static String refused(String... words) {
        return assertThrows(NotebenchException.class, () -> SET_OF.parse(List.of(words))).getMessage();
    }

    @Test
    void valuesAreTypedWithDefaultsWhereNotGiven() {
        OptionValues v = SET_OF.parse(List.of("--run", "runs/a", "Hello", "--top-k=5", "--stop", ".", "--echo", "--stop", "!",
                "--set", " n_layer =2", "--device", "CPU", "world"));
        assertEquals(Path.of("runs/a"), v.get(RUN));
        assertEquals(5, v.get(TOP_K));
        assertEquals(1.0, v.get(TOP_P));
        assertEquals(42L, v.get(SEED));
        assertEquals(List.of(".", "!"), v.all(STOP));
        assertEquals(true, v.get(ECHO));
        assertEquals(Map.entry("n_layer", "2"), v.get(SET));
        assertEquals("cpu", v.get(DEVICE));
        assertEquals(List.of("Hello", "world"), v.positional());
        assertFalse(v.has(SEED));
        assertTrue(v.has(TOP_K));
        assertEquals(false, SET_OF.parse(List.of("--run", "r", "x")).get(ECHO));
        assertEquals(-7L, SET_OF.parse(List.of("--run", "r", "--seed", "-7", "x")).get(SEED));
    }

    @Test
    void eachMistakeIsOneLineNamingTheOptionAndWhatToGive() {
        assertEquals("--top-k abc is not a whole number from 1 to 20", refused("--run", "r", "--top-k", "abc", "x"));
        assertEquals("--top-k 21 is out of range; give a number from 1 to 20", refused("--run", "r", "--top-k", "21", "x"));
        assertEquals("--top-p 0 is out of range; give a number above 0 and at most 1", refused("--run", "r", "--top-p", "0", "x"));
        assertEquals("--top-p NaN is out of range; give a number above 0 and at most 1", refused("--run", "r", "--top-p=NaN", "x"));
        assertEquals("--top-p x is not a number", refused("--run", "r", "--top-p", "x", "x"));
        assertEquals("--seed 99999999999999999999 is not a whole number", refused("--run", "r", "--seed", "99999999999999999999"));
        assertEquals("--set n_layer is not KEY=VALUE", refused("--run", "r", "--set", "n_layer", "x"));
        assertEquals("--device tpu is not a choice; use auto, cpu or cuda", refused("--run", "r", "--device", "tpu", "x"));
        assertEquals("--run is required", refused("x"));
        assertEquals("give TEXT after the options", refused("--run", "r"));
        assertEquals("--top-k is given twice", refused("--run", "r", "--top-k", "1", "--top-k", "2", "x"));
        assertEquals("--echo takes no value", refused("--run", "r", "--echo=yes", "x"));
        assertEquals("--top-k needs a value: --top-k N", refused("--run", "r", "x", "--top-k"));
        assertEquals("unknown option --bogus; the options are [--run, --top-k, --top-p, --seed, --stop, --echo, --set, --device]",
                refused("--run", "r", "--bogus", "x"));
        assertEquals("'x' is not an option; options start with -- (--top-k N)",
                assertThrows(NotebenchException.class, () -> OptionSet.of(TOP_K).parse(List.of("x"))).getMessage());
    }

    @Test
    void anAlternativeStandsInForTheRequiredOptions() {
        Option<String> tokenizer = Option.string("tokenizer").label("DIR").required().help("t");
        Option<String> corpus = Option.string("corpus").required().help("c");
        Option<String> resume = Option.string("resume").label("RUN_DIR").help("r");
        OptionSet train = OptionSet.of(tokenizer, corpus, resume).orElse(resume);
        assertEquals("give --tokenizer and --corpus, or --resume RUN_DIR",
                assertThrows(NotebenchException.class, () -> train.parse(List.of("--tokenizer", "t"))).getMessage());
        assertEquals("r1", train.parse(List.of("--resume", "r1")).get(resume));
    }

    @Test
    void synopsisAndHelpComeFromTheDeclaration() {
        assertEquals("--run RUN_DIR [--top-k N] [--top-p X] [--seed N] [--stop TEXT]... [--echo] [--set KEY=VALUE]..."
                + " [--device auto|cpu|cuda] TEXT...", SET_OF.synopsis());
        assertEquals(String.join("\n",
                "  TEXT...                            the text",
                "  --run RUN_DIR                      the run",
                "  --top-k N                          predictions per position (a whole number from 1 to 20; default: 3)",
                "  --top-p X                          nucleus (a number above 0 and at most 1; default: 1)",
                "  --seed N                           seed (default: 42)",
                "  --stop TEXT                        stop text (repeatable)",
                "  --echo                             echo the prompt",
                "  --set KEY=VALUE                    a setting (repeatable)",
                "  --device auto|cpu|cuda             where (default: auto)", ""), SET_OF.help().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void numbersAreWrittenAsTheyWouldBeTyped() {
        assertEquals("0.001", ValueType.formatNumber(1e-3));
        assertEquals("1e-8", ValueType.formatNumber(1e-8));
        assertEquals("0.9", ValueType.formatNumber(0.9));
        assertEquals("16", ValueType.formatNumber(16.0));
        assertEquals("of at least 0", new ValueType.Range(0, true, Integer.MAX_VALUE, true).describe());
        assertEquals("from 0 to below 1", new ValueType.Range(0, true, 1, false).describe());
        assertEquals("above 0", new ValueType.Range(0, false, Double.POSITIVE_INFINITY, true).describe());
    }
}
