package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;

/**
 * Which part of a corpus is held out of training for statistics: a fraction of its lines or of
 * its files, chosen by a seeded hash, so the same seed always holds out the same text.
 *
 * @param fraction the share held out, 0 (none) to 0.5
 * @param unit whether lines or whole files are held out
 * @param seed the seed
 */
public record Holdout(double fraction, Unit unit, long seed) {
    /** Nothing held out. */
    public static final Holdout NONE = new Holdout(0, Unit.LINE, 0);

    /** What is held out as a whole. */
    public enum Unit {
        /** Single lines. */
        LINE,
        /** Whole files (for corpora of many documents). */
        FILE
    }

    /** Validates the fraction. */
    public Holdout {
        if (!(fraction >= 0 && fraction <= 0.5)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "holdout fraction must be between 0 and 0.5, got " + fraction);
        }
        if (unit == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "holdout unit must be line or file");
        }
    }

    /**
     * Holds out a fraction of lines.
     *
     * @param fraction the share, 0 to 0.5
     * @param seed the seed
     */
    public static Holdout lines(double fraction, long seed) {
        return new Holdout(fraction, Unit.LINE, seed);
    }

    /**
     * Holds out a fraction of files.
     *
     * @param fraction the share, 0 to 0.5
     * @param seed the seed
     */
    public static Holdout files(double fraction, long seed) {
        return new Holdout(fraction, Unit.FILE, seed);
    }

    /** Returns whether line {@code line} (0-based) of file {@code file} (0-based, in corpus order) is held out. */
    public boolean heldOut(int file, long line) {
        if (fraction == 0) {
            return false;
        }
        long h = mix(seed ^ mix(file + 0x9E3779B97F4A7C15L) ^ (unit == Unit.LINE ? mix(line + 1) : 0));
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
