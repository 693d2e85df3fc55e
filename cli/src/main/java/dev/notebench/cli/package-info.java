/**
 * The {@code ./notebench} command line: {@code kernel install|uninstall}, {@code demo}, with
 * {@code --help} on every command ({@link dev.notebench.cli.Notebench}).
 */
package dev.notebench.cli;
