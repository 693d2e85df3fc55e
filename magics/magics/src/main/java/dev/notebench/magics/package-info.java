/**
 * Notebook magics that load into any kernel built on SpencerPark's jupyter-jvm-basekernel: the
 * Notebench kernel and a stock IJava kernel alike.
 *
 * <p>A {@link dev.notebench.magics.MagicsProvider}, found by {@link java.util.ServiceLoader},
 * creates an object whose {@code @LineMagic} / {@code @CellMagic} methods go into basekernel's
 * {@code Magics} registry through a {@link dev.notebench.magics.MagicCatalog}, which also keeps
 * each magic's {@link dev.notebench.magics.MagicDoc} for {@code %lsmagic} and {@code %help}.
 * Magics reach their kernel only through a {@link dev.notebench.magics.NotebookContext}.
 */
package dev.notebench.magics;
