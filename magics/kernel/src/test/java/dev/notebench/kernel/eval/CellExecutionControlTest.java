package dev.notebench.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.spi.ExecutionControl.UserException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How snippets run: an interrupt that comes before a snippet starts keeps it from running. */
class CellExecutionControlTest {
    /** Counts its runs: a snippet's {@code do_it$} method, as JShell would invoke it. */
    public static final class Snippet {
        static final AtomicInteger RUNS = new AtomicInteger();

        public static Object run() {
            return RUNS.incrementAndGet();
        }
    }

    private CellExecutionControl control;
    private Method snippet;

    @BeforeEach
    void start() throws Exception {
        control = new CellExecutionControl(new CellClassLoader(getClass().getClassLoader()));
        snippet = Snippet.class.getMethod("run");
        Snippet.RUNS.set(0);
    }

    @AfterEach
    void stop() {
        control.stop();
    }

    @Test
    void aSnippetRuns() throws Exception {
        String key = control.invoke(snippet);
        assertEquals(1, control.takeResult(key));
        assertEquals(1, Snippet.RUNS.get());
    }

    @Test
    void aSnippetThatStartsAfterAnInterruptDoesNotRunAndReportsTheInterrupt() {
        // the interrupt came while JShell compiled the cell's next snippet, when no snippet was running
        control.interrupt();
        UserException e = assertThrows(UserException.class, () -> control.invoke(snippet));
        assertEquals(CellExecutionControl.INTERRUPTED, e.causeExceptionClass());
        assertEquals(0, Snippet.RUNS.get());
        assertFalse(control.lastInterruptAbandonedThread());
    }

    @Test
    void theNextCellForgetsTheInterruptAndRuns() throws Exception {
        control.interrupt();
        control.cellStarted(); // what the evaluator does when a cell starts
        assertEquals(1, control.takeResult(control.invoke(snippet)));
    }
}
