package dev.notebench.train;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.files.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's metrics as JSON lines ({@code metrics.jsonl}), one object per step, evaluation and
 * checkpoint, flushed as they come, so a plot in another process (or kernel) can follow the run.
 * One of a run's default listeners ({@link RunListener.Defaults}).
 * <pre>{@code
 * {"type":"step","step":41,"loss":2.31,"lr":0.00098,"grad_norm":0.74,"tokens_per_s":18230.5,"time":"..."}
 * {"type":"eval","step":99,"val_loss":2.12,"val_ppl":8.33,"best":true,"time":"..."}
 * }</pre>
 */
public final class MetricsLog implements RunListener, AutoCloseable {
    /** The file name in a run directory. */
    public static final String FILE = "metrics.jsonl";

    private final Gson gson = new Gson();
    private BufferedWriter out;

    /** A log that opens when its run starts ({@link #started}), in the run's directory. */
    public MetricsLog() {
    }

    /**
     * Opens the log of the run, keeping only entries before the step it starts at (what a resumed
     * run re-does is logged again, once).
     */
    @Override
    public synchronized void started(TrainRun run, long step) {
        close();
        out = open(run.directory().resolve(FILE), step - 1);
    }

    private static BufferedWriter open(Path file, long keepThroughStep) {
        try {
            List<String> kept = new ArrayList<>();
            if (keepThroughStep >= 0 && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    try {
                        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                        if (o.get("step").getAsLong() <= keepThroughStep) {
                            kept.add(line);
                        }
                    } catch (RuntimeException e) {
                        // a line cut off by a crash: drop it
                    }
                }
            }
            // the kept lines replace the log in one step: a crash now leaves the old log, never half of one
            AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    @Override
    public void step(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "step");
        m.put("step", s.step());
        m.put("loss", s.loss());
        m.put("lr", s.lr());
        // a non-finite norm is an fp16 step skipped because its gradients overflowed
        m.put("grad_norm", Double.isFinite(s.gradNorm()) ? s.gradNorm() : null);
        if (!Double.isFinite(s.gradNorm())) {
            m.put("skipped", "overflow");
        }
        m.put("tokens_per_s", s.tokensPerSecond());
        m.put("elapsed_s", s.elapsedSeconds());
        write(m);
    }

    @Override
    public void eval(Eval e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "eval");
        m.put("step", e.step());
        m.put("val_loss", e.loss());
        m.put("val_ppl", e.perplexity());
        m.put("best", e.best());
        write(m);
    }

    @Override
    public void checkpoint(long step, Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "checkpoint");
        m.put("step", step);
        m.put("path", dir.getFileName().toString());
        write(m);
    }

    private synchronized void write(Map<String, Object> m) {
        if (out == null) {
            throw new IllegalStateException("the metrics log is not open: it opens when its run starts");
        }
        m.put("time", Instant.now().toString());
        try {
            out.write(gson.toJson(m));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    /** Closes the file; the run's loop does when the run ends. Idempotent. */
    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out = null;
        }
    }
}
