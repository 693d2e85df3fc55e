/**
 * Logging setup for Notebench applications: text or JSON lines ({@link dev.notebench.logging.JsonLayout})
 * on standard error, chosen at the edge by {@link dev.notebench.logging.LogSetup}.
 */
package dev.notebench.logging;
