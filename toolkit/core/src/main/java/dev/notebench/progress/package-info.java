/**
 * Progress of long jobs: the {@link dev.notebench.progress.Progress} interface and its notebook
 * bar; the command line draws a terminal bar with the same interface.
 */
package dev.notebench.progress;
