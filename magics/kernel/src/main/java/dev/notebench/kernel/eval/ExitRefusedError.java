package dev.notebench.kernel.eval;

import java.util.Arrays;

/**
 * What {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} throw when cell code
 * calls them (or code a cell calls, or a thread a cell started): the kernel keeps running, and
 * the cell reports the call as its error. An {@link Error}, so that {@code catch (Exception e)}
 * around a library's exit does not hide it; the cell reports the call even when it is caught.
 */
public final class ExitRefusedError extends Error {
    private static final long serialVersionUID = 1L;

    private ExitRefusedError(String message, StackTraceElement[] stack) {
        super(message);
        setStackTrace(stack);
    }

    /**
     * Describes the call being refused on the current thread.
     *
     * @param method {@code "exit"} or {@code "halt"}, the {@code Runtime} method called
     * @param status the status it was called with
     * @param where where it was called, e.g. {@code "in this cell"} or {@code "by thread 'q', which a cell started"}
     */
    static ExitRefusedError refusing(String method, int status, String where) {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        int at = 0;
        while (at < stack.length && !isRuntime(stack[at], method)) {
            at++;
        }
        String call = "Runtime." + method;
        if (at < stack.length) {
            at++;
            if (at < stack.length && "java.lang.System".equals(stack[at].getClassName())
                    && "exit".equals(stack[at].getMethodName())) {
                call = "System.exit";
                at++;
            }
        } else {
            at = 0; // not called from Runtime: keep the whole trace
        }
        return new ExitRefusedError(call + "(" + status + ") was called " + where
                + "; the kernel keeps running. Restart the kernel from the front end to stop it.",
                Arrays.copyOfRange(stack, at, stack.length));
    }

    private static boolean isRuntime(StackTraceElement f, String method) {
        return "java.lang.Runtime".equals(f.getClassName()) && method.equals(f.getMethodName());
    }
}
