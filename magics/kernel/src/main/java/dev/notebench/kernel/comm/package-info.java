/**
 * The kernel's Jupyter comms ({@link dev.notebench.kernel.comm.KernelComms}), which carry the
 * widgets of {@link dev.notebench.widgets} between Java and the front end.
 */
package dev.notebench.kernel.comm;
