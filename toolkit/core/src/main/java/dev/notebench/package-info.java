/**
 * Notebench's foundation: the typed error every module throws ({@link dev.notebench.NotebenchException}
 * with its {@link dev.notebench.ErrorCode}).
 */
package dev.notebench;
