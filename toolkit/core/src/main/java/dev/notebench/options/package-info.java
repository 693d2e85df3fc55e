/** Options of commands that a magic and the command line share ({@link dev.notebench.options.CommandOptions}). */
package dev.notebench.options;
