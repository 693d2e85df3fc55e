/**
 * {@code %train}, {@code %eval}, {@code %generate}, {@code %score} and {@code %runs}
 * ({@link dev.notebench.train.magic.TrainMagics}), loaded by the kernel through
 * {@link dev.notebench.magics.MagicsProvider}.
 */
package dev.notebench.train.magic;
