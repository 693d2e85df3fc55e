package dev.notebench.magics.builtin;

import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.magics.RawLine;
import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code %time} and {@code %%time}: run code and show how long it took (wall-clock time); the
 * value of its last expression is shown as usual.
 */
public final class TimeMagics {
    static final String USAGE = "%time JAVA-CODE  |  %%time (cell)";

    private final NotebookContext context;

    /**
     * Creates the magics.
     *
     * @param context the kernel
     */
    public TimeMagics(NotebookContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Runs the code of the line, or of the cell body, and shows the wall-clock time it took.
     *
     * @param args the code of the line ({@link RawLine}), or the cell magic's arguments
     * @param body the cell body, or {@code null} for the line form
     * @return the value of the code's last expression, or {@code null}
     * @throws Exception whatever the code throws; the time is shown first
     */
    @LineMagic
    @CellMagic
    @RawLine
    @MagicDoc(usage = USAGE,
            summary = "Runs Java code, the rest of the line for %time or the whole cell for %%time, and shows "
                    + "the wall-clock time it took, also when the code throws. The value of the last "
                    + "expression is shown as usual.",
            example = "%time java.util.stream.IntStream.range(0, 10_000_000).sum()")
    public Object time(List<String> args, String body) throws Exception {
        String code = body != null ? body : String.join(" ", args);
        if (code.isBlank()) {
            throw new dev.notebench.magics.MagicUsageException("%time", "give the code to time", USAGE);
        }
        long start = System.nanoTime();
        Object value;
        try {
            value = context.eval(code);
        } finally {
            context.display().show("Wall time: " + format(System.nanoTime() - start));
        }
        if (value != null) {
            context.display().show(value);
        }
        return value;
    }

    /**
     * Formats a duration the way people read timings: 850 µs, 12.3 ms, 4.56 s, 2 min 5 s.
     *
     * @param nanos the duration in nanoseconds
     */
    public static String format(long nanos) {
        if (nanos < 1_000_000L) {
            return String.format(Locale.ROOT, "%d µs", nanos / 1_000L);
        }
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos < 60_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        long s = nanos / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
    }

    /** Finds {@link TimeMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements MagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(NotebookContext context) {
            return new TimeMagics(context);
        }
    }
}
