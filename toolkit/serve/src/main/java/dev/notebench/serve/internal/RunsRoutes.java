package dev.notebench.serve.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import dev.notebench.NotebenchException;
import dev.notebench.options.Option;
import dev.notebench.secrets.Secrets;
import dev.notebench.serve.api.CancelAccepted;
import dev.notebench.serve.api.Hyperparameters;
import dev.notebench.serve.api.LogTail;
import dev.notebench.serve.api.RunDetail;
import dev.notebench.serve.api.RunPage;
import dev.notebench.serve.api.RunSummary;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.RunState;
import dev.notebench.train.RunStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs routes: list, status, logs, metrics, cancel, and the live metrics and log streams. A
 * run is its directory ({@link RunDirectory}), read afresh at each request, so a restarted server
 * reports every run with its true status ({@code lost} when its trainer is gone).
 */
public final class RunsRoutes {
    /** {@code ?status=}: only runs in this state. */
    static final Option<String> STATUS = Option.choice("status", Arrays.stream(RunState.values()).map(RunState::json)
            .toArray(String[]::new)).help("only the runs in this state");
    /** {@code ?page=}. */
    static final Option<Integer> PAGE = Option.integer("page", 1, Integer.MAX_VALUE).defaultValue(1).help("the page, from 1");
    /** {@code ?page_size=}. */
    static final Option<Integer> PAGE_SIZE = Option.integer("page-size", 1, 500).defaultValue(50).help("runs per page");
    /** {@code ?lines=}. */
    static final Option<Integer> LINES = Option.integer("lines", 1, 10_000).defaultValue(100).help("how many of the last lines");

    private static final int TAIL_BYTES = 4 << 20;
    /** This machine's name as a run's status records its trainer's host ({@code /proc/sys/kernel/hostname}), or null. */
    private static final String THIS_HOST = hostName();

    private final Path runsDir;
    private final Clock clock;
    private final Secrets secrets;
    private final Followers followers;
    private final Duration heartbeat;

    /**
     * Creates the routes.
     *
     * @param runsDir the runs directory, absolute
     * @param clock the time heartbeats are aged by
     * @param secrets what no answer may echo
     * @param followers the file followers of the streams
     * @param heartbeat how long a stream may be silent before it sends a comment
     */
    public RunsRoutes(Path runsDir, Clock clock, Secrets secrets, Followers followers, Duration heartbeat) {
        this.runsDir = runsDir.toAbsolutePath().normalize();
        this.clock = clock;
        this.secrets = secrets;
        this.followers = followers;
        this.heartbeat = heartbeat;
    }

    /** The routes. */
    public List<Route> routes() {
        return List.of(
                Route.get("/runs", "The runs, newest first, a page at a time", RunPage.class, this::list)
                        .withQuery(STATUS, PAGE, PAGE_SIZE),
                Route.get("/runs/{id}", "A run's true status and key hyperparameters", RunDetail.class, c -> detail(c.id())),
                Route.get("/runs/{id}/logs", "The last lines of a detached run's log", LogTail.class, this::logs).withQuery(LINES),
                Route.events("/runs/{id}/logs/stream", "A detached run's log as it grows", "each line of train.log an event"
                        + " 'log' whose id is its line number; Last-Event-ID resumes after it; 'end' when the run has ended",
                        c -> stream(c, "log", open(c.id()).logFile(), true)),
                Route.get("/runs/{id}/metrics", "A run's metrics.jsonl as an array, one object per step, evaluation and"
                        + " checkpoint", new TypeToken<List<JsonObject>>() { }.getType(), c -> metrics(c.id())),
                Route.events("/runs/{id}/metrics/stream", "A run's metrics as they are written", "each line of metrics.jsonl"
                        + " an event 'metrics' (its data the line's JSON object) whose id is its line number; Last-Event-ID"
                        + " resumes after it; 'end' (data: the run's final status) when the run has ended; comments as"
                        + " heartbeats", c -> stream(c, "metrics", open(c.id()).metricsFile(), false)),
                Route.post("/runs/{id}/cancel", "Asks a running run to stop after its current step, with a checkpoint", 202,
                        CancelAccepted.class, c -> cancel(c.id())));
    }

    private RunDirectory open(String id) {
        Path dir = Ids.resolve(runsDir, id);
        if (!RunDirectory.isRun(dir)) {
            throw HttpError.notFound("there is no run '" + id + "'; GET /runs lists the runs");
        }
        return RunDirectory.open(dir).withClock(clock);
    }

    private RunPage list(Call c) {
        String status = c.query(STATUS);
        int page = c.query(PAGE);
        int size = c.query(PAGE_SIZE);
        List<RunSummary> all = new ArrayList<>();
        for (RunDirectory run : RunDirectory.list(runsDir)) {
            Optional<RunSummary> s = summary(run.withClock(clock));
            if (s.isPresent() && (status == null || s.get().status().equals(status))) {
                all.add(s.get());
            }
        }
        all.sort(Comparator.comparing((RunSummary s) -> s.created() == null ? "" : s.created()).reversed()
                .thenComparing(RunSummary::id));
        long from = (long) (page - 1) * size;
        List<RunSummary> slice = from >= all.size() ? List.of() : all.subList((int) from, (int) Math.min(all.size(), from + size));
        return new RunPage(List.copyOf(slice), all.size(), page, size);
    }

    /** A run's row; empty when its directory is being written and cannot be read now. */
    private Optional<RunSummary> summary(RunDirectory run) {
        try {
            JsonObject m = run.manifest();
            RunStatus st = run.status();
            return Optional.of(new RunSummary(run.id(), st.state().json(), st.step() + 1, st.steps(), family(m), string(m, "created"),
                    st.heartbeat() == null ? null : st.heartbeat().toString(), bestValLoss(run, m)));
        } catch (NotebenchException | IllegalStateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private RunDetail detail(String id) {
        RunDirectory run = open(id);
        JsonObject m = run.manifest();
        RunStatus st = run.status();
        JsonObject summary = m.has("summary") && m.get("summary").isJsonObject() ? m.getAsJsonObject("summary") : new JsonObject();
        Double age = st.heartbeat() == null ? null : Duration.between(st.heartbeat(), clock.instant()).toMillis() / 1000.0;
        return new RunDetail(run.id(), st.state().json(), st.message() == null ? null : secrets.scrub(st.message()), st.step() + 1,
                st.steps(), st.heartbeat() == null ? null : st.heartbeat().toString(), age, st.pid(), st.host(), st.checkpoint(),
                run.cancelRequested(), string(m, "created"), bestValLoss(run, m), number(summary, "train_loss"), hyperparameters(m));
    }

    private static String family(JsonObject m) {
        JsonObject config = m.has("config") && m.get("config").isJsonObject() ? m.getAsJsonObject("config") : new JsonObject();
        return string(config, "family");
    }

    private static Hyperparameters hyperparameters(JsonObject m) {
        JsonObject c = m.has("config") && m.get("config").isJsonObject() ? m.getAsJsonObject("config") : new JsonObject();
        String tok = string(c, "tokenizer");
        return new Hyperparameters(string(c, "family"), c.has("model") && c.get("model").isJsonObject() ? c.getAsJsonObject("model")
                : null, tok == null ? null : Path.of(tok).getFileName().toString(), whole(c, "steps"), whole(c, "batch_size"),
                whole(c, "grad_accum"), number(c, "learning_rate"), number(c, "min_learning_rate"), whole(c, "warmup_steps"),
                number(c, "weight_decay"), number(c, "grad_clip"), whole(c, "eval_every"), whole(c, "seed"), string(c, "device"),
                string(c, "precision"), whole(c, "block_size"));
    }

    /** The manifest's best validation loss when the run has ended, else the least one in its metrics so far. */
    private static Double bestValLoss(RunDirectory run, JsonObject m) {
        if (m.has("summary") && m.get("summary").isJsonObject()) {
            Double b = number(m.getAsJsonObject("summary"), "best_val_loss");
            if (b != null) {
                return b;
            }
        }
        Double best = null;
        for (JsonObject o : readMetrics(run.metricsFile())) {
            Double v = "eval".equals(string(o, "type")) ? number(o, "val_loss") : null;
            if (v != null && (best == null || v < best)) {
                best = v;
            }
        }
        return best;
    }

    private LogTail logs(Call c) throws IOException {
        RunDirectory run = open(c.id());
        int n = c.query(LINES);
        Path log = run.logFile();
        if (!Files.exists(log)) {
            return new LogTail(run.id(), List.of(), false);
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            List<String> lines = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
            if (start > 0 && !lines.isEmpty()) {
                lines.remove(0); // cut in the middle
            }
            boolean truncated = start > 0 || lines.size() > n;
            List<String> tail = lines.subList(Math.max(0, lines.size() - n), lines.size()).stream().map(secrets::scrub).toList();
            return new LogTail(run.id(), tail, truncated);
        }
    }

    private List<JsonObject> metrics(String id) {
        return readMetrics(open(id).metricsFile());
    }

    /** A metrics log's objects; a line cut off by a crash (or being written) is left out. */
    private static List<JsonObject> readMetrics(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<JsonObject> out = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonElement e = JsonParser.parseString(line);
                if (e.isJsonObject()) {
                    out.add(e.getAsJsonObject());
                }
            } catch (RuntimeException cut) {
                // a line cut off: the trainer's next write completes it
            }
        }
        return out;
    }

    private CancelAccepted cancel(String id) {
        RunDirectory run = open(id);
        RunStatus st = run.status();
        if (!st.active()) {
            throw new HttpError(409, "run_not_running", "run '" + id + "' is " + st.state().json() + ", so there is nothing to cancel"
                    + (st.state() == RunState.LOST ? "; its trainer is gone" : ""), null);
        }
        try {
            run.requestCancel();
        } catch (NotebenchException e) {
            throw new HttpError(409, "run_not_running", "run '" + id + "' ended before it could be asked to stop", null);
        }
        return new CancelAccepted(id, st.state().json(), "asked to stop after its current step, with a checkpoint; GET /runs/"
                + id + " says cancelled once it has");
    }

    /**
     * The end event's data once the run has ended or is lost; for its log, once the process that
     * trained it here has also exited (a detached trainer writes its last lines after its status).
     */
    private Optional<String> end(RunDirectory run, boolean processExited) {
        RunStatus st = run.status();
        if (!st.ended() && st.state() != RunState.LOST) {
            return Optional.empty();
        }
        if (processExited && st.pid() != null && THIS_HOST.equals(st.host())
                && ProcessHandle.of(st.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", st.state().json());
        m.put("step", st.step() + 1);
        m.put("steps", st.steps());
        m.put("message", st.message() == null ? null : secrets.scrub(st.message()));
        return Optional.of(new com.google.gson.GsonBuilder().serializeNulls().create().toJson(m));
    }

    private Object stream(Call c, String event, Path file, boolean untilExit) throws IOException, InterruptedException {
        RunDirectory run = open(c.id());
        int after = lastEventId(c);
        try (Followers.Subscription s = followers.follow(file, () -> end(run, untilExit))) {
            EventStream out = EventStream.open(c.response());
            out.comment("notebench " + event + " of run " + run.id()); // the client knows it is followed from here
            while (true) {
                Followers.Batch b = s.await(after, heartbeat);
                if (b.closed()) {
                    out.close();
                    return Call.STREAMED;
                }
                for (int i = 0; i < b.lines().size(); i++) {
                    out.event(b.from() + i + 1, event, secrets.scrub(b.lines().get(i)));
                }
                after = b.from() + b.lines().size();
                if (b.end() != null) {
                    out.event(-1, "end", b.end());
                    out.close();
                    return Call.STREAMED;
                }
                if (b.lines().isEmpty()) {
                    out.comment("heartbeat");
                } else {
                    out.flush();
                }
            }
        }
    }

    private static int lastEventId(Call c) {
        String h = c.header("Last-Event-ID");
        if (h == null || h.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(h.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badField("Last-Event-ID", "Last-Event-ID '" + Ids.shown(h) + "' is not an event id of this stream:"
                    + " give the id of the last event received, a line number");
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return null; // then no trainer is taken for one of this machine's: a log stream ends with its run
        }
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static Double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() ? null : e.getAsDouble();
    }

    private static Long whole(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() ? null : e.getAsLong();
    }
}
