package dev.notebench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FrontEndTest {
    private static final String MESSAGE = "run runs/a b exists; resume it with " + FrontEnd.command("train --resume runs/a b")
            + ", or see " + FrontEnd.command("runs");

    @Test
    void eachFrontEndSpellsTheCommandsAMessageNames() {
        assertEquals("run runs/a b exists; resume it with train --resume runs/a b, or see runs", FrontEnd.LIBRARY.render(MESSAGE));
        assertEquals("run runs/a b exists; resume it with ./notebench train --resume runs/a b, or see ./notebench runs",
                FrontEnd.COMMAND_LINE.render(MESSAGE));
        assertEquals("run runs/a b exists; resume it with %train --resume runs/a b, or see %runs", FrontEnd.NOTEBOOK.render(MESSAGE));
        assertEquals("no command here", FrontEnd.NOTEBOOK.render("no command here"));
    }

    @Test
    void anExceptionKeepsItsCommandsForTheFrontEndThatShowsIt() {
        NotebenchException e = new NotebenchException(ErrorCode.CONFIG_INVALID, MESSAGE);
        assertEquals("run runs/a b exists; resume it with train --resume runs/a b, or see runs", e.getMessage());
        assertEquals("CONFIG_INVALID: run runs/a b exists; resume it with %train --resume runs/a b, or see %runs",
                e.describe(FrontEnd.NOTEBOOK));
        assertEquals("CONFIG_INVALID: run runs/a b exists; resume it with train --resume runs/a b, or see runs", e.toString());
    }

    @Test
    void aPathThatHoldsTheMarkersCannotBreakTheMessage() {
        String odd = "runs/\uE001x\uE000";
        assertEquals("resume with %train --resume runs/x", FrontEnd.NOTEBOOK.render("resume with " + FrontEnd.command("train --resume " + odd)));
    }
}
