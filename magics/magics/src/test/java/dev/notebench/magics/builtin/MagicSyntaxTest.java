package dev.notebench.magics.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.magics.MagicUsageException;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicsArgs;
import java.util.List;
import org.junit.jupiter.api.Test;

class MagicSyntaxTest {
    private static final MagicSyntax SYNTAX = MagicSyntax.of("%train", "%train CONFIG [--steps N]",
            MagicsArgs.builder().required("config").keyword("steps").onlyKnownKeywords().onlyKnownFlags().build());

    @Test
    void missingRequiredArgumentIsOneLineWithTheUsage() {
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> SYNTAX.parse(List.of()));
        assertEquals("%train: missing required positional arguments: [config]. Usage: %train CONFIG [--steps N]", e.getMessage());
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    }

    @Test
    void unknownKeywordAndFlagAreNamed() {
        assertEquals("%train: unknown keyword argument 'lr'. Usage: %train CONFIG [--steps N]",
                assertThrows(MagicUsageException.class, () -> SYNTAX.parse(List.of("a.json", "--lr", "3"))).getMessage());
        assertEquals("%train: unknown flag argument 'x'. Usage: %train CONFIG [--steps N]",
                assertThrows(MagicUsageException.class, () -> SYNTAX.parse(List.of("a.json", "-x"))).getMessage());
        assertEquals("%train: too many positional arguments. Usage: %train CONFIG [--steps N]",
                assertThrows(MagicUsageException.class, () -> SYNTAX.parse(List.of("a", "b"))).getMessage());
    }

    @Test
    void integerOptionsAreCheckedForTypeAndRange() {
        assertEquals(200, SYNTAX.parse(List.of("a.json", "--steps=200")).getInt("steps", 10, 1, 1000));
        assertEquals(10, SYNTAX.parse(List.of("a.json")).getInt("steps", 10, 1, 1000));
        assertEquals("%train: --steps must be an integer, got 'many'. Usage: %train CONFIG [--steps N]",
                assertThrows(MagicUsageException.class,
                        () -> SYNTAX.parse(List.of("a", "--steps", "many")).getInt("steps", 10, 1, 1000)).getMessage());
        assertEquals("%train: --steps must be between 1 and 1000, got 0. Usage: %train CONFIG [--steps N]",
                assertThrows(MagicUsageException.class,
                        () -> SYNTAX.parse(List.of("a", "--steps", "0")).getInt("steps", 10, 1, 1000)).getMessage());
    }

    @Test
    void switchesStandAloneInTheirLongForm() {
        MagicSyntax s = MagicSyntax.of("%get", "%get X [--offline]", MagicsArgs.builder().required("x")
                .flag("offline", 'o', "true").onlyKnownKeywords().onlyKnownFlags().build()).withSwitches("offline");
        assertEquals(true, s.parse(List.of("--offline", "a")).has("offline"));
        assertEquals("a", s.parse(List.of("--offline", "a")).get("x", null));
        assertEquals(true, s.parse(List.of("a", "-o")).has("offline"));
        assertEquals(false, s.parse(List.of("a")).has("offline"));
    }

    @Test
    void argumentsAreReadByName() {
        MagicSyntax.Arguments a = SYNTAX.parse(List.of("cfg.json", "--steps", "5", "--steps", "7"));
        assertEquals("cfg.json", a.get("config", null));
        assertEquals(List.of("5", "7"), a.all("steps"));
        assertEquals("7", a.get("steps", null));
        assertEquals(List.of(), a.all("nothing"));
    }
}
