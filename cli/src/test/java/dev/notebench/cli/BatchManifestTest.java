package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchManifestTest {
    @TempDir
    Path tmp;

    private String refused(String yaml) throws Exception {
        Path m = Files.writeString(tmp.resolve("batch.yaml"), yaml);
        return assertThrows(NotebenchException.class, () -> BatchManifest.read(m)).getMessage();
    }

    @Test
    void anEmbedTaskTakesTheDeclaredFieldsOnly() throws Exception {
        assertEquals("task t has an unknown field 'nearest'; embed tasks take name, type, file, csv, column, model",
                refused("tasks:\n  - {name: t, type: embed, file: a.txt, nearest: 3}\n"));
        assertEquals("task t has an unknown field 'threads'; arrange tasks take name, type, tree, out, model",
                refused("tasks:\n  - {name: t, type: arrange, tree: t.json, out: a.yaml, threads: 2}\n"));
    }

    @Test
    void aModelThatIsNoLocalModelIsRefusedBeforeAnyWorkerStarts() throws Exception {
        assertEquals("task t's model e5 is not a choice; use all-minilm-l6-v2 or bge-small-en-v1.5",
                refused("tasks:\n  - {name: t, type: embed, file: a.txt, model: e5}\n"));
    }

    @Test
    void anOutputIsGuardedAgainstTheInputsOfEveryTaskByTheDeclaredRoles() throws Exception {
        Path tree = tmp.resolve("t.json").toAbsolutePath();
        assertEquals("task b's out " + tree + " is the same file as task a's tree " + tree + "; writing it would destroy the"
                + " input: give task b's out another path", refused("tasks:\n  - {name: a, type: arrange, tree: t.json, out: a.yaml}\n"
                + "  - {name: b, type: arrange, tree: u.json, out: t.json}\n"));
        Path csv = tmp.resolve("in.csv").toAbsolutePath();
        assertEquals("task e's --out " + csv + " is the same file as task a's csv " + csv + "; writing it would destroy the"
                + " input: give task e's --out another path", refused("tasks:\n  - {name: a, type: embed, csv: in.csv, column: x}\n"
                + "  - {name: e, type: associations, args: [--input, c.txt, --out, in.csv]}\n"));
    }
}
