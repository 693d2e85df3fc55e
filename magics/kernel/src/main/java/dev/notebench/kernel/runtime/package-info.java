/**
 * What cell code calls: {@code display}, {@code updateDisplay}, {@code notebook()} and the magic
 * entry points that magic lines become. Cells reach their kernel through
 * {@link dev.notebench.kernel.runtime.CellSessions}, keyed by the session id baked into the
 * JShell startup code, so several kernels can share one JVM (as tests do).
 */
package dev.notebench.kernel.runtime;
