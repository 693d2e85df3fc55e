/**
 * Evaluating cells: JShell with execution in the kernel's own JVM
 * ({@link dev.notebench.kernel.eval.CellEvaluator}), so that objects made by cells and by the
 * toolkit live side by side; magic lines turned into calls
 * ({@link dev.notebench.kernel.eval.MagicTranslator}); and the errors a cell can end with
 * ({@link dev.notebench.kernel.eval.CellException}).
 */
package dev.notebench.kernel.eval;
