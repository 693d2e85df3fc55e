/**
 * The Notebench Jupyter kernel: Java cells evaluated by JShell inside the kernel's JVM, on
 * SpencerPark's jupyter-jvm-basekernel, with IJava-compatible magics
 * ({@link dev.notebench.kernel.NotebenchKernel}, started by {@link dev.notebench.kernel.KernelMain}).
 */
package dev.notebench.kernel;
