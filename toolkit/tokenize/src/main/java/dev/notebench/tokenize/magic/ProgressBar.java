package dev.notebench.tokenize.magic;

import dev.notebench.display.DisplayHandle;
import dev.notebench.display.Html;
import java.util.Locale;

/**
 * An HTML progress bar in a notebook output, replaced in place at most every 150 ms, with the
 * rate and the time left.
 */
final class ProgressBar {
    private static final long MIN_INTERVAL_NS = 150_000_000L;

    private final DisplayHandle handle;
    private String stage = "";
    private long stageStart;
    private long lastUpdate;

    ProgressBar(DisplayHandle handle) {
        this.handle = handle;
    }

    /** Shows progress of the current stage; stages restart the clock. */
    synchronized void update(String stage, double done, double total, String unit, boolean force) {
        long now = System.nanoTime();
        if (!stage.equals(this.stage)) {
            this.stage = stage;
            this.stageStart = now;
            force = true;
        }
        if (!force && now - lastUpdate < MIN_INTERVAL_NS) {
            return;
        }
        lastUpdate = now;
        double frac = total <= 0 ? 0 : Math.min(1, done / total);
        double seconds = (now - stageStart) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && frac < 1 ? String.format(Locale.ROOT, ", %.1f s left", (total - done) / rate) : "";
        String text = String.format(Locale.ROOT, "%s: %3.0f%% (%s of %s %s, %s %s/s%s)", stage, frac * 100,
                human(done), human(total), unit, human(rate), unit, eta);
        String html = "<div class=\"notebench-progress\" style=\"font-family: monospace\">"
                + "<progress value=\"" + String.format(Locale.ROOT, "%.4f", frac) + "\" max=\"1\" style=\"width: 24em\"></progress> "
                + Html.escape(text) + "</div>";
        handle.update(new Html(html, text));
    }

    private static String human(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.1fG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
