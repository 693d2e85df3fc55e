/**
 * Installing the kernel for Jupyter: a kernelspec directory with {@code kernel.json} and the jars
 * it runs from ({@link dev.notebench.kernel.install.KernelSpec}).
 */
package dev.notebench.kernel.install;
