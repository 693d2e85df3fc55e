/**
 * The API a capability writes its notebook magics against, with nothing of a kernel in it.
 *
 * <p>A {@link dev.notebench.magics.MagicsProvider}, found by {@link java.util.ServiceLoader},
 * creates an object whose basekernel {@code @LineMagic} / {@code @CellMagic} methods become
 * magics; {@link dev.notebench.magics.MagicDoc} documents them for {@code %help}, and
 * {@link dev.notebench.magics.MagicOptions} derives their parser, usage and errors from a
 * capability's declared options. Magics reach their kernel only through a
 * {@link dev.notebench.magics.NotebookContext}. The kernel side (the catalog, the built-in
 * magics, classpath and Maven) is in {@code notebench-magics}.
 */
package dev.notebench.magics;
