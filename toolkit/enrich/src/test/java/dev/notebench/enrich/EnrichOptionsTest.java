package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrichOptionsTest {
    private static final List<String> BASE = List.of("--input", "in.csv", "--out", "out.csv", "--text", "t", "--labels", "a,b");

    private static NotebenchException refused(List<String> extra, String body) {
        List<String> args = new java.util.ArrayList<>(BASE);
        args.addAll(extra);
        return assertThrows(NotebenchException.class, () -> EnrichOptions.parse(args, body, Map.of(), Path.of("/tmp")));
    }

    @Test
    void instructionsComeFromOnePlaceOnly() {
        assertEquals("give the instructions once: a cell body, --instructions or --instructions-file",
                refused(List.of("--instructions", "Label it."), "Label it too.").getMessage());
        NotebenchException missing = refused(List.of("--instructions-file", "/nonexistent/instructions.txt"), "");
        assertEquals(ErrorCode.DATA_NOT_FOUND, missing.code());
        assertEquals("cannot read --instructions-file /nonexistent/instructions.txt: /nonexistent/instructions.txt",
                missing.getMessage());
    }

    @Test
    void wrongOptionsNameWhatToFix() {
        assertEquals("--workers 0 is out of range; give a number from 1 to 1024", refused(List.of("--workers", "0"), "").getMessage());
        assertEquals("--labels is given twice", refused(List.of("--labels", "c,d"), "").getMessage());
        assertEquals("--resume takes no value", refused(List.of("--resume=yes"), "").getMessage());
        assertEquals("give --resume or --fresh, not both", refused(List.of("--resume", "--fresh"), "").getMessage());
        assertEquals("--examples-per-label and --seed go with --examples-column (--seed also with --sample and --cascade)",
                refused(List.of("--examples-per-label", "5"), "").getMessage());
        assertEquals("--keep-failed goes with --resume: it keeps the rows that failed in the resumed run instead of asking them"
                + " again", refused(List.of("--keep-failed"), "").getMessage());
        assertEquals("--retries -1 is out of range; give a number from 0 to 100", refused(List.of("--retries", "-1"), "").getMessage());
    }
}
