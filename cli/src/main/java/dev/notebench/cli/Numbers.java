package dev.notebench.cli;

import picocli.CommandLine;

/**
 * Numeric option types with their range, so that a value out of range is picocli's one-line
 * usage error ("Invalid value for option '--threads': ...") like a value that is not a number.
 * Name one as the option's converter:
 *
 * <pre>{@code
 * @Option(names = "--threads", converter = Numbers.Threads.class) Integer threads;
 * }</pre>
 */
final class Numbers {
    /** The most threads or worker processes any command starts. */
    static final int MAX_THREADS = 1024;

    private Numbers() {
    }

    static int integer(String value, int min, int max, String what) {
        long v;
        try {
            v = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not " + what);
        }
        if (v < min || v > max) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not " + what);
        }
        return (int) v;
    }

    /** Threads or processes: 1 to {@value #MAX_THREADS}. */
    static final class Threads implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return integer(value, 1, MAX_THREADS, "a whole number from 1 to " + MAX_THREADS);
        }
    }

    /** A count of at least one: 1 to 2^31-1. */
    static final class PositiveCount implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return integer(value, 1, Integer.MAX_VALUE, "a whole number of at least 1");
        }
    }
}
