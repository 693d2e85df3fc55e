package dev.notebench.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Follows a run that another process trains (a {@link Detached} run, or one in another kernel) by
 * reading its {@code metrics.jsonl} and {@code status.json} as they grow, and replays what it reads
 * to a {@link RunListener}: the same listener that would watch a run in this process, e.g. a
 * notebook's training view.
 *
 * <pre>{@code
 * String status = new RunFollower(runDir).follow(new TrainingView(notebook()));
 * }</pre>
 *
 * <p>Following ends when the run ends, when the process that trains it is gone without
 * finishing (the run is {@link RunState#LOST}), or when the following thread is interrupted
 * (the run goes on).
 */
public final class RunFollower {

    private final Path dir;
    private final Duration poll;
    private final Duration startTimeout;
    private final Clock clock;

    /**
     * Follows the run in a directory, looking for news every 250 ms.
     *
     * @param runDir the run directory
     */
    public RunFollower(Path runDir) {
        this(runDir, Duration.ofMillis(250), Duration.ofMinutes(2));
    }

    /**
     * Follows the run in a directory.
     *
     * @param runDir the run directory
     * @param poll how often to look for news
     * @param startTimeout how long a run may take to write its first status
     */
    public RunFollower(Path runDir, Duration poll, Duration startTimeout) {
        this(runDir, poll, startTimeout, Clock.systemUTC());
    }

    /**
     * Follows the run in a directory, ageing its heartbeats by a clock.
     *
     * @param runDir the run directory
     * @param poll how often to look for news
     * @param startTimeout how long a run may take to write its first status
     * @param clock the time heartbeats are aged by ({@link RunStatus#read(Path, Clock)})
     */
    public RunFollower(Path runDir, Duration poll, Duration startTimeout, Clock clock) {
        this.dir = Objects.requireNonNull(runDir, "runDir").toAbsolutePath().normalize();
        this.poll = Objects.requireNonNull(poll, "poll");
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Replays the run's events to a listener until it ends.
     *
     * @param listener hears {@code started}, each step, evaluation and checkpoint, and {@code ended}
     * @return the run's final state (completed, cancelled, failed, stopped early), {@link RunState#LOST}
     *     (the listener hears {@code ended(LOST, how to resume)}), or, when interrupted, the state it
     *     was in then (created, starting or running)
     */
    public RunState follow(RunListener listener) {
        RunDirectory files = RunDirectory.open(dir).withClock(clock);
        TrainRun run = TrainRun.open(files);
        Instant deadline = clock.instant().plus(startTimeout);
        RunStatus s = files.status();
        while (s.state() == RunState.CREATED) {
            if (clock.instant().isAfter(deadline)) {
                throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "run " + dir + " has not started in " + startTimeout.toSeconds()
                        + " s; see " + files.logFile());
            }
            if (!sleep()) {
                return s.state();
            }
            s = files.status();
        }
        listener.started(run, Math.max(0, s.step() + 1));
        Tail tail = new Tail(files.metricsFile(), listener);
        while (true) {
            tail.read();
            s = files.status();
            if (s.ended() || s.state() == RunState.LOST) {
                tail.read();
                listener.ended(s.state(), s.message());
                return s.state();
            }
            if (!sleep()) {
                return s.state();
            }
        }
    }

    private boolean sleep() {
        try {
            Thread.sleep(poll.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads the complete lines a metrics file gained since the last read. */
    private final class Tail {
        private final Path file;
        private final RunListener listener;
        private long offset;
        private long lastStep = -1;
        private long lastEval = -1;
        private long lastCheckpoint = -1;

        Tail(Path file, RunListener listener) {
            this.file = file;
            this.listener = listener;
        }

        void read() {
            if (!Files.exists(file)) {
                return;
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                if (f.length() < offset) {
                    offset = 0; // a resumed run rewrote the file; what was seen is skipped by step
                }
                f.seek(offset);
                byte[] buf = new byte[(int) Math.min(f.length() - offset, 16 << 20)];
                f.readFully(buf);
                int start = 0;
                for (int i = 0; i < buf.length; i++) {
                    if (buf[i] == '\n') {
                        line(new String(buf, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                }
                offset += start; // a line still being written is read next time
            } catch (IOException e) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        private void line(String text) {
            JsonObject o;
            try {
                o = JsonParser.parseString(text).getAsJsonObject();
            } catch (RuntimeException e) {
                return; // not a metrics line
            }
            long step = o.get("step").getAsLong();
            switch (o.get("type").getAsString()) {
                case "step" -> {
                    if (step > lastStep) {
                        lastStep = step;
                        listener.step(new RunListener.Step(step, o.get("loss").getAsDouble(), o.get("lr").getAsDouble(),
                                o.has("grad_norm") ? o.get("grad_norm").getAsDouble() : Double.NaN, o.get("tokens_per_s").getAsDouble(),
                                o.has("elapsed_s") ? o.get("elapsed_s").getAsDouble() : Double.NaN));
                    }
                }
                case "eval" -> {
                    if (step > lastEval) {
                        lastEval = step;
                        listener.eval(new RunListener.Eval(step, o.get("val_loss").getAsDouble(), o.get("val_ppl").getAsDouble(),
                                o.get("best").getAsBoolean()));
                    }
                }
                case "checkpoint" -> {
                    if (step > lastCheckpoint) {
                        lastCheckpoint = step;
                        listener.checkpoint(step, dir.resolve(RunDirectory.CHECKPOINTS).resolve(o.get("path").getAsString()));
                    }
                }
                default -> {
                }
            }
        }
    }
}
