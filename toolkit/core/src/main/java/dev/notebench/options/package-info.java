/**
 * Options of commands, declared once beside their capability and derived into every front end
 * (a magic, the command line, a batch manifest): {@link dev.notebench.options.Option} (name, type,
 * range, default, help, example), {@link dev.notebench.options.OptionSet} (a command's options and
 * their parser) and {@link dev.notebench.options.OptionValues} (one parse, typed).
 */
package dev.notebench.options;
