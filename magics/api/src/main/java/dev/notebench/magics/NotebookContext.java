package dev.notebench.magics;

import dev.notebench.display.Display;
import java.util.Map;

/**
 * What a kernel offers to a capability's magics: showing values, the kernel's environment and the
 * notebook's variables. It is deliberately narrow; what only the kernel's own magics need (the
 * classpath, renderers, the catalog of magics) is {@code dev.notebench.magics.host.KernelContext}
 * in the {@code notebench-magics} module.
 */
public interface NotebookContext {

    /** Returns where magics show their output; safe to use from any thread. */
    Display display();

    /**
     * Returns the kernel's environment variables, read once by the kernel at its edge: where a
     * magic finds an API key or a webhook URL named by an option, without reading the process's
     * environment itself.
     *
     * @return the environment; empty when the kernel passes none
     */
    default Map<String, String> environment() {
        return Map.of();
    }

    /**
     * Evaluates code as if it were a cell of its own (magics included) and returns the value of
     * its last expression, or {@code null}; magics use it to read the notebook's variables
     * ({@link NotebookVariables}).
     *
     * @param code the code
     * @return the value of the last expression, or {@code null}
     * @throws Exception whatever the code throws, or a compile error
     */
    Object eval(String code) throws Exception;
}
