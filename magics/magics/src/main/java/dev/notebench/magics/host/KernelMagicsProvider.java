package dev.notebench.magics.host;

/**
 * Creates magics that need the kernel itself (its classpath, its catalog of magics, its
 * renderer): the built-in {@code %help}, {@code %jars}, {@code %maven}. Found with
 * {@link java.util.ServiceLoader} like a capability's {@link dev.notebench.magics.MagicsProvider},
 * but listed in {@code META-INF/services/dev.notebench.magics.host.KernelMagicsProvider}.
 */
public interface KernelMagicsProvider {

    /**
     * Returns an object whose basekernel {@code @LineMagic} / {@code @CellMagic} methods become
     * magics.
     *
     * @param kernel what the kernel offers
     * @return the magics object
     */
    Object create(KernelContext kernel);
}
