package dev.notebench.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRoleTest {
    static final Option<Path> OUT = Option.path("out").label("FILE").output().help("where it goes");
    static final Option<Path> EXAMPLES = Option.path("examples").label("FILE").input().help("examples");
    static final Option<Path> LOG = Option.path("log").label("FILE").help("a file neither read nor guarded");
    static final OptionSet SET = OptionSet.of(OUT, EXAMPLES, LOG).positional("TREE", "the trees", 1, Option.FileRole.INPUT);

    @TempDir
    Path tmp;

    @Test
    void anOptionKeepsItsRoleThroughEveryCopy() {
        assertEquals(Option.FileRole.OUTPUT, OUT.role());
        assertEquals(Option.FileRole.INPUT, EXAMPLES.required().label("X").defaultText("none").role());
        assertEquals(Option.FileRole.NONE, LOG.role());
        assertEquals(Option.FileRole.INPUT, SET.positional().orElseThrow().role());
        assertEquals(Option.FileRole.NONE, new OptionSet.Positional("TEXT", "text", 0).role());
    }

    @Test
    void onlyAPathNamesAFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Option.string("name").output());
        assertEquals("--name names no file: only a path option is an input or an output", e.getMessage());
    }

    @Test
    void theGuardRefusesAnOutputThatIsAPositionalInput() {
        String tree = tmp.resolve("tree.json").toString();
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> SET.parse(List.of(tree, "--out", tree)).guard().build().check());
        assertEquals("--out " + tree + " is the same file as TREE " + tree + "; writing it would destroy the input: give --out"
                + " another path", e.getMessage());
    }

    @Test
    void theGuardRefusesAnOutputThatIsAnInputOption() {
        String f = tmp.resolve("e.csv").toString();
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> SET.parse(List.of("t.json", "--examples", f, "--out", f)).guard().build().check());
        assertEquals("--out " + f + " is the same file as --examples " + f + "; writing it would destroy the input: give --out"
                + " another path", e.getMessage());
    }

    @Test
    void filesWithoutARoleAndOptionsNotGivenAreNotGuarded() {
        String f = tmp.resolve("a.txt").toString();
        SET.parse(List.of(f, "--log", f)).guard().build().check();
        SET.parse(List.of(f)).guard().output("--cache", tmp.resolve("c.sqlite")).build().check();
    }
}
