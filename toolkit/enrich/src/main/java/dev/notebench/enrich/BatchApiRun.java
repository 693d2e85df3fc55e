package dev.notebench.enrich;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.http.ApiErrors;
import dev.notebench.progress.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The batches of an {@link Enricher} run sent as one provider batch job ({@code --batch-api})
 * instead of live calls: the same request bodies in a JSONL file, the job journalled as soon as it
 * exists, polled (the first wait {@value #FIRST_WAIT_S} s, doubling up to the poll interval), its
 * answers checked as live answers are and journalled. A request the job failed, a non-200
 * response, an answer that fails the checks, or an output line that is not JSON fails its rows
 * with the reason; they are not asked again in this run: {@code --resume} asks them in a
 * follow-up job. A journal with a job that was not collected (the process stopped while waiting)
 * makes the run collect that job before anything else, so that no job is submitted twice.
 */
final class BatchApiRun {
    static final int FIRST_WAIT_S = 5;

    /**
     * How a run waits for its job.
     *
     * @param pollEvery the longest wait between polls
     * @param cancelOnStop whether a stop cancels the job (keeping what it answered) instead of leaving it running
     * @param sleeper how the run waits
     */
    record Polling(Duration pollEvery, boolean cancelOnStop, BatchJobs.Sleeper sleeper) {
    }

    private final BatchJobs api;
    private final Polling polling;
    private final List<Item> items;
    private final Journal.Settled[] settled;
    private final Journal journal;
    private final OutputSchema schema;
    private final String instructions;
    private final List<Example> examples;
    private final AnswerChecker checker;
    private final RunStats stats;
    private final Progress progress;
    private final BooleanSupplier stop;
    private final Consumer<List<Journal.Settled>> settle;
    private final List<String> jobs = new ArrayList<>();

    BatchApiRun(BatchJobs api, Polling polling, List<Item> items, Journal.Settled[] settled, Journal journal, OutputSchema schema,
                String instructions, List<Example> examples, RunStats stats, Progress progress, BooleanSupplier stop,
                Consumer<List<Journal.Settled>> settle) {
        this.api = api;
        this.polling = polling;
        this.items = items;
        this.settled = settled;
        this.journal = journal;
        this.schema = schema;
        this.instructions = instructions;
        this.examples = examples;
        this.checker = new AnswerChecker(schema);
        this.stats = stats;
        this.progress = progress;
        this.stop = stop;
        this.settle = settle;
    }

    /**
     * Collects the journal's pending job, if any, then submits the open rows of {@code plan} as a
     * new job and collects it.
     *
     * @param plan the run's batches (rows already settled are skipped)
     * @return the ids of the jobs collected, in order
     * @throws NotebenchException (CANCELLED) when stopped while waiting; the job keeps running unless cancelled
     */
    List<String> run(List<Batch> plan) {
        Journal.BatchJob pending = journal == null ? null : journal.pendingBatch();
        if (pending != null) {
            progress.note("collecting the batch job " + pending.id() + " submitted by an earlier run");
            collect(pending);
        }
        List<List<Item>> open = new ArrayList<>();
        for (Batch b : plan) {
            List<Item> rows = b.items().stream().filter(i -> settled[i.id()] == null).toList();
            if (!rows.isEmpty()) {
                open.add(rows);
            }
        }
        if (!open.isEmpty()) {
            collect(submit(open));
        }
        return List.copyOf(jobs);
    }

    /** One line of a job's JSONL file: the request as a live call would send it. */
    static String line(String customId, String body) {
        JsonObject line = new JsonObject();
        line.addProperty("custom_id", customId);
        line.addProperty("method", "POST");
        line.addProperty("url", BatchJobs.ENDPOINT);
        line.add("body", JsonParser.parseString(body));
        return line.toString();
    }

    private Journal.BatchJob submit(List<List<Item>> batches) {
        Map<String, List<Integer>> requests = new LinkedHashMap<>();
        StringBuilder jsonl = new StringBuilder();
        for (List<Item> batch : batches) {
            String customId = "rows-" + requests.size();
            requests.put(customId, batch.stream().map(Item::id).toList());
            jsonl.append(line(customId, api.body(request(batch)))).append('\n');
        }
        String fileId = api.upload(jsonl.toString());
        BatchJobs.Status created = api.create(fileId);
        Journal.BatchJob job = new Journal.BatchJob(created.id(), fileId, requests);
        if (journal != null) {
            journal.appendBatch(job);
        }
        progress.note("submitted the batch job " + created.id() + ": " + requests.size() + " requests");
        return job;
    }

    private AnnotationRequest request(List<Item> rows) {
        return new AnnotationRequest(rows, schema, instructions, examples);
    }

    private void collect(Journal.BatchJob job) {
        BatchJobs.Status s = poll(job.id());
        jobs.add(job.id());
        Lines output = read(s.outputFileId());
        Lines errors = read(s.errorFileId());
        for (Map.Entry<String, List<Integer>> r : job.requests().entrySet()) {
            List<Item> rows = r.getValue().stream().map(items::get).filter(i -> settled[i.id()] == null).toList();
            if (rows.isEmpty()) {
                continue; // journalled by the run that was stopped after collecting part of the job
            }
            JsonObject result = output.byId.containsKey(r.getKey()) ? output.byId.get(r.getKey()) : errors.byId.get(r.getKey());
            settleRequest(r.getKey(), rows, result, s, output.garbage + errors.garbage, output.firstGarbage != null
                    ? output.firstGarbage : errors.firstGarbage);
        }
        if (journal != null) {
            journal.appendCollected(job.id());
        }
    }

    private void settleRequest(String customId, List<Item> rows, JsonObject result, BatchJobs.Status s, int garbage,
                               String firstGarbage) {
        String reason;
        if (result == null) {
            reason = garbage > 0 ? "the batch job " + s.id() + " has no readable answer to this row's request (" + customId + "): "
                    + garbage + " line" + (garbage == 1 ? "" : "s") + " of its output were not JSON (" + firstGarbage + ")"
                    : "the batch job " + s.id() + " ended " + s.status() + " without an answer to this row's request (" + customId
                    + ")" + (s.errors().isEmpty() ? "" : ": " + s.errors());
        } else if (result.get("error") instanceof JsonObject e) {
            reason = "the batch request " + customId + " failed (" + text(e, "code") + ": " + text(e, "message") + ")";
        } else if (!(result.get("response") instanceof JsonObject response) || !(response.get("body") instanceof JsonObject body)) {
            reason = "the batch job's line for " + customId + " has neither a response nor an error: "
                    + JsonAnswers.abbreviate(result.toString());
        } else {
            int code = response.get("status_code") instanceof com.google.gson.JsonPrimitive p && p.isNumber() ? p.getAsInt() : 0;
            if (code != 200) {
                reason = "the batch request " + customId + " failed (" + code + ": " + ApiErrors.abbreviate(ApiErrors.message(
                        body.toString()), 300) + ")";
            } else {
                settleAnswer(customId, rows, body);
                return;
            }
        }
        stats.unanswered();
        failed(rows, api.secrets().scrub(reason));
    }

    private void settleAnswer(String customId, List<Item> rows, JsonObject body) {
        AnswerChecker.Verdict verdict;
        try {
            Answer answer = api.read(body.toString(), request(rows));
            stats.answered(answer);
            verdict = checker.check(rows, answer);
        } catch (AnswerFormatException e) {
            stats.unanswered();
            verdict = AnswerChecker.allFailed(rows, e.getMessage());
        }
        if (!verdict.good().isEmpty()) {
            settle.accept(verdict.good());
            stats.labelled(verdict.good().size());
        }
        if (!verdict.bad().isEmpty()) {
            List<Journal.Settled> bad = new ArrayList<>();
            verdict.bad().forEach((id, why) -> bad.add(new Journal.Settled(id, null, "in the batch answer to " + customId + ": " + why)));
            settle.accept(bad);
            stats.failed(bad.size());
        }
    }

    private void failed(List<Item> rows, String reason) {
        settle.accept(rows.stream().map(i -> new Journal.Settled(i.id(), null, reason)).toList());
        stats.failed(rows.size());
    }

    private BatchJobs.Status poll(String id) {
        Duration longest = polling.pollEvery();
        Duration wait = longest.compareTo(Duration.ofSeconds(FIRST_WAIT_S)) < 0 ? longest : Duration.ofSeconds(FIRST_WAIT_S);
        boolean cancelling = false;
        while (true) {
            BatchJobs.Status s = api.get(id);
            progress.note("batch " + s.line());
            if (s.finished()) {
                return s;
            }
            if (stop.getAsBoolean() && !cancelling) {
                if (!polling.cancelOnStop()) {
                    throw stopped(s);
                }
                api.cancel(id);
                cancelling = true;
                progress.note("cancelling the batch job " + id + "; the requests it answered are kept");
            }
            try {
                polling.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw stopped(s);
            }
            wait = wait.multipliedBy(2).compareTo(longest) > 0 ? longest : wait.multipliedBy(2);
        }
    }

    private NotebenchException stopped(BatchJobs.Status s) {
        return new NotebenchException(ErrorCode.CANCELLED, "stopped waiting for the batch job " + s.line() + "; it keeps running at"
                + " the provider" + (journal == null ? "" : " and its id is journalled in " + journal.file() + ": run the same"
                + " command with --resume to collect it (nothing is submitted twice), with --cancel-batch to cancel it when stopped"));
    }

    /** A job's file read by {@code custom_id}; lines that are not JSON objects with one are counted. */
    private record Lines(Map<String, JsonObject> byId, int garbage, String firstGarbage) {
    }

    private Lines read(String fileId) {
        Map<String, JsonObject> byId = new LinkedHashMap<>();
        if (fileId == null) {
            return new Lines(byId, 0, null);
        }
        int garbage = 0;
        String first = null;
        int n = 0;
        for (String line : api.content(fileId).split("\n")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                if (o.get("custom_id") instanceof com.google.gson.JsonPrimitive id) {
                    byId.put(id.getAsString(), o);
                    continue;
                }
            } catch (JsonParseException | IllegalStateException notAnObject) {
                // counted below
            }
            garbage++;
            first = first != null ? first : "line " + n + " of " + fileId + ": " + JsonAnswers.abbreviate(line);
        }
        return new Lines(byId, garbage, first);
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() ? "?" : e.getAsString();
    }
}
