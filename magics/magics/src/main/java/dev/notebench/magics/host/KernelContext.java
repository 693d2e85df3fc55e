package dev.notebench.magics.host;

import dev.notebench.magics.NotebookContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import java.nio.file.Path;
import java.util.List;

/**
 * What a kernel offers to its own magics, beyond what a capability's magics get
 * ({@link NotebookContext}): its renderer, its classpath and the catalog of magics. The Notebench
 * kernel implements it; in a stock IJava kernel {@link dev.notebench.magics.ijava.IJavaSupport}
 * adapts IJava's kernel to it.
 */
public interface KernelContext extends NotebookContext {

    /** Returns the renderer that turns values into display data (register renderers here). */
    Renderer renderer();

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

    /** Returns the magics registered in this kernel, with their help. */
    MagicCatalog magics();
}
