package dev.notebench.internal;

/**
 * Checks of a builder's numeric settings, worded once: {@code "workers 0 must be within 1..1024"}.
 *
 * <pre>{@code
 * this.workers = Ranges.within("workers", workers, 1, 1024);
 * }</pre>
 */
public final class Ranges {
    private Ranges() {
    }

    /**
     * Returns {@code value} when it lies in {@code min..max}.
     *
     * @param name the setting, as the message names it (e.g. {@code "max attempts"})
     * @throws IllegalArgumentException "NAME VALUE must be within MIN..MAX" otherwise
     */
    public static int within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " must be within " + min + ".." + max);
        }
        return value;
    }
}
