package dev.notebench.progress;

import java.util.Locale;

/**
 * What a progress bar draws: stage, position, total, unit, rate, time left and note, computed
 * from a clock. Renderers share it. Not thread-safe; its owner synchronizes.
 */
public final class ProgressState {
    private String stage = "";
    private String unit = "";
    private long total;
    private long done;
    private long from;
    private long started;
    private String note = "";

    /**
     * Starts a stage.
     *
     * @param name the stage
     * @param total units, or 0 or less when unknown
     * @param unit the units' name
     * @param from units done before the stage's clock starts
     * @param now {@link System#nanoTime()}
     */
    public void stage(String name, long total, String unit, long from, long now) {
        this.stage = name;
        this.total = total;
        this.unit = unit;
        this.done = from;
        this.from = from;
        this.started = now;
    }

    /** Sets the units done. */
    public void update(long done) {
        this.done = done;
    }

    /** Adds units done. */
    public void advance(long n) {
        this.done += n;
    }

    /** Sets the note. */
    public void note(String text) {
        this.note = text == null ? "" : text;
    }

    /** Returns the fraction done, in [0, 1], or -1 when the total is unknown. */
    public double fraction() {
        return total > 0 ? Math.min(1, (double) done / total) : -1;
    }

    /** Returns the units done per second since the stage started. */
    public double rate(long now) {
        double seconds = (now - started) / 1e9;
        return seconds > 0 ? (done - from) / seconds : 0;
    }

    /** Returns whether the stage is complete. */
    public boolean complete() {
        return total > 0 && done >= total;
    }

    /**
     * The one-line text of the bar: {@code "merging: 45% (450 of 1000 tokens, 37.5 tokens/s, 14.7 s left) note"}.
     *
     * @param now {@link System#nanoTime()}
     */
    public String text(long now) {
        double rate = rate(now);
        StringBuilder b = new StringBuilder(stage).append(": ");
        if (total > 0) {
            b.append(String.format(Locale.ROOT, "%3.0f%% (%s of %s %s", 100 * fraction(), human(done), human(total), unit));
        } else {
            b.append('(').append(human(done)).append(' ').append(unit);
        }
        b.append(", ").append(human(rate)).append(' ').append(unit).append("/s");
        if (total > 0 && done < total && rate > 0) {
            b.append(", ").append(duration((total - done) / rate)).append(" left");
        } else if (complete()) {
            b.append(", ").append(duration((now - started) / 1e9));
        }
        b.append(')');
        if (!note.isEmpty()) {
            b.append(' ').append(note);
        }
        return b.toString();
    }

    /** 1234 → "1234", 12345 → "12.3k", 1.2e6 → "1.2M"; rates below 10 keep a decimal. */
    static String human(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.1fG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        if (v < 10 && v != Math.rint(v)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** 42.3 → "42.3 s", 125 → "2:05", 3725 → "1:02:05". */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
