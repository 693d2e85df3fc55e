package dev.notebench.magics;

/**
 * Creates a set of magics for a kernel; found with {@link java.util.ServiceLoader}, so that a
 * jar on the kernel's classpath adds its magics without code in the kernel.
 *
 * <p>List implementations in {@code META-INF/services/dev.notebench.magics.MagicsProvider}.
 *
 * <pre>{@code
 * public final class TokenizerMagicsProvider implements MagicsProvider {
 *     public Object create(NotebookContext context) {
 *         return new TokenizerMagics(context);
 *     }
 * }
 * }</pre>
 */
public interface MagicsProvider {

    /**
     * Returns an object whose public methods annotated with basekernel's {@code @LineMagic} or
     * {@code @CellMagic} (and, for help, {@link MagicDoc}) become magics.
     *
     * @param context what the kernel offers to magics
     * @return the magics object
     */
    Object create(NotebookContext context);
}
