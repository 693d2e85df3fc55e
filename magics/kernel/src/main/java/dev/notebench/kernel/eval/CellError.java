package dev.notebench.kernel.eval;

import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cell code threw. Shown as the exception, the frames down to the cell (at most a few), and the
 * chain of causes, one line each. A {@link NotebenchException} (a magic's or the toolkit's error
 * about what the user gave it) is its one line alone: its message says what to fix, and frames of
 * the toolkit would only hide it.
 */
public final class CellError extends CellException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_FRAMES = 5;

    private final String exceptionClass;
    private final List<String> lines;

    CellError(Throwable thrown) {
        super(describe(thrown), thrown);
        this.exceptionClass = thrown.getClass().getName();
        List<String> out = new ArrayList<>();
        out.add(headline(thrown.getClass().getSimpleName(), oneLine(thrown)));
        if (thrown instanceof NotebenchException) {
            this.lines = List.copyOf(out);
            return;
        }
        StackTraceElement[] frames = thrown.getStackTrace();
        int shown = 0;
        for (StackTraceElement f : frames) {
            if (isCell(f)) {
                out.add("    at the cell");
                break;
            }
            if (shown == MAX_FRAMES) {
                out.add("    ...");
                break;
            }
            out.add("    at " + f);
            shown++;
        }
        for (Throwable c = thrown.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            out.add("Caused by " + c.getClass().getName() + ": " + oneLine(c));
        }
        this.lines = List.copyOf(out);
    }

    CellError(String exceptionClass, String message) {
        super(message, null);
        this.exceptionClass = exceptionClass;
        this.lines = List.of(headline(exceptionClass.substring(exceptionClass.lastIndexOf('.') + 1), message));
    }

    /** Returns the fully qualified class name of what the cell threw. */
    public String exceptionClass() {
        return exceptionClass;
    }

    @Override
    public List<String> lines() {
        return lines;
    }

    private static boolean isCell(StackTraceElement f) {
        return f.getClassName().startsWith("REPL.");
    }

    private static String describe(Throwable t) {
        return t instanceof NotebenchException n ? n.describe(FrontEnd.NOTEBOOK) : t.getClass().getName() + ": " + oneLine(t);
    }

    private static String oneLine(Throwable t) {
        String m = t instanceof NotebenchException n ? n.describe(FrontEnd.NOTEBOOK) : t.getMessage();
        return m == null ? "(no message)" : m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
