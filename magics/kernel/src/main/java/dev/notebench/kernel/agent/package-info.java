/**
 * The kernel's Java agent ({@link dev.notebench.kernel.agent.KernelAgent}), loaded with
 * {@code -javaagent} from the kernelspec: it makes {@code System.exit}, {@code Runtime.exit} and
 * {@code Runtime.halt} ask the calling thread's group first, so that the kernel can refuse them to
 * the threads that run cells (Java 17 and later, without a SecurityManager).
 */
package dev.notebench.kernel.agent;
