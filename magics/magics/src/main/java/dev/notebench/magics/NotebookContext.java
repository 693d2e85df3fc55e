package dev.notebench.magics;

import dev.notebench.display.Display;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import java.nio.file.Path;
import java.util.List;

/**
 * What a kernel offers to magics: showing values, its classpath, evaluating code, and the catalog
 * of magics. The Notebench kernel implements it directly; in a stock IJava kernel
 * {@link dev.notebench.magics.ijava.IJavaSupport} adapts IJava's kernel to it.
 */
public interface NotebookContext {

    /** Returns the renderer that turns values into display data (register renderers here). */
    Renderer renderer();

    /** Returns where magics show their output; safe to use from any thread. */
    Display display();

    /**
     * Makes a jar or a class directory visible to the code of later cells.
     *
     * @param entry an existing jar file or directory
     */
    void addToClasspath(Path entry);

    /** Returns the entries added to the classpath during this session, in order. */
    List<Path> addedClasspath();

    /** Returns every classpath entry cells can see: the kernel's own, then the added ones. */
    List<Path> classpath();

    /**
     * Evaluates code as if it were a cell of its own (magics included) and returns the value of
     * its last expression, or {@code null}.
     *
     * @param code the code
     * @return the value of the last expression, or {@code null}
     * @throws Exception whatever the code throws, or a compile error
     */
    Object eval(String code) throws Exception;

    /** Returns the magics registered in this kernel, with their help. */
    MagicCatalog magics();
}
