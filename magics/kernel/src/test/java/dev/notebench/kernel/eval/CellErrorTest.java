package dev.notebench.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellErrorTest {
    @Test
    void aLibraryErrorIsOneLineThatSpellsItsCommandsAsMagics() {
        NotebenchException e = new NotebenchException(ErrorCode.DATA_NOT_FOUND, "runs/x does not exist; "
                + FrontEnd.command("runs") + " lists the runs, " + FrontEnd.command("train --resume runs/y") + " resumes one");
        CellError shown = new CellError(e);
        assertEquals(List.of(CellException.headline("NotebenchException", "DATA_NOT_FOUND: runs/x does not exist; %runs lists the runs, %train --resume runs/y"
                + " resumes one")), shown.lines());
        assertEquals("DATA_NOT_FOUND: runs/x does not exist; %runs lists the runs, %train --resume runs/y resumes one",
                shown.getMessage());
    }
}
