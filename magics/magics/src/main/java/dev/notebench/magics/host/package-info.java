/**
 * The kernel's side of magics: the {@link dev.notebench.magics.host.MagicCatalog} that registers
 * every provider's magics into basekernel's registry and keeps their help, and the
 * {@link dev.notebench.magics.host.KernelContext} that the kernel's own magics use.
 */
package dev.notebench.magics.host;
