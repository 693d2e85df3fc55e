package dev.notebench.enrich;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only record of a job's finished rows: a JSON-lines file whose first line names the
 * job (its fingerprint) and whose every other line holds the rows one answer settled, values or
 * final failures, written and forced to disk before the job goes on. After a crash (even
 * {@code kill -9}) the file holds every settled row; a last line cut off mid-write is dropped.
 * Resuming reads it and skips those rows, so none is asked twice and none is lost.
 */
final class Journal implements AutoCloseable {
    /** What to do with an existing journal. */
    enum Mode {
        /** Fail if a journal exists, so that nothing is thrown away unnoticed. */
        NEW,
        /** Continue an existing journal of the same job; start one if none exists. */
        RESUME,
        /** Replace an existing journal. */
        FRESH
    }

    /**
     * A settled row: its values, or the reason it failed; with the annotator's confidence in the
     * values when it gave one (journalled as a third element of the row's entry, which journals
     * written before it lack).
     */
    record Settled(int id, List<Object> values, String error, Double confidence) {
        /** A row without a confidence. */
        Settled(int id, List<Object> values, String error) {
            this(id, values, error, null);
        }
    }

    /**
     * A provider batch job submitted for some of the job's rows ({@code --batch-api}), journalled
     * as soon as it was created ({@code {"batch": {...}}}) so that a process that dies while it waits
     * collects it when resumed instead of submitting it again; a {@code {"batch_collected": id}} line
     * follows once its answers are journalled.
     *
     * @param id the provider's job id
     * @param inputFileId the uploaded file of requests
     * @param requests each request's {@code custom_id} and the rows it asks, in the order asked
     */
    record BatchJob(String id, String inputFileId, Map<String, List<Integer>> requests) {
        BatchJob {
            requests = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requests));
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final Map<Integer, Settled> restored;
    private final BatchJob pendingBatch;

    private Journal(Path file, FileChannel channel, Map<Integer, Settled> restored, BatchJob pendingBatch) {
        this.file = file;
        this.channel = channel;
        this.restored = restored;
        this.pendingBatch = pendingBatch;
    }

    static Journal open(Path file, Mode mode, String fingerprint, int rows, OutputSchema schema) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean exists = Files.exists(file) && Files.size(file) > 0;
            if (exists && mode == Mode.NEW) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the journal " + file + " of an earlier run exists; resume it"
                        + " (--resume: finished rows are not asked again) or start over (--fresh)");
            }
            Map<Integer, Settled> restored = new LinkedHashMap<>();
            BatchJob[] pending = new BatchJob[1];
            if (exists && mode == Mode.RESUME) {
                long good = read(file, fingerprint, rows, schema, restored, pending);
                try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    c.truncate(good); // a line cut off by a crash
                    c.force(true);
                }
            } else {
                Files.deleteIfExists(file);
                JsonObject header = new JsonObject();
                header.addProperty("notebench_enrich_journal", 1);
                header.addProperty("fingerprint", fingerprint);
                header.addProperty("rows", rows);
                JsonArray names = new JsonArray();
                schema.fields().forEach(f -> names.add(f.name()));
                header.add("fields", names);
                Files.writeString(file, header + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new Journal(file, channel, restored, pending[0]);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a journal into {@code into}; returns the length of its complete lines. */
    private static long read(Path file, String fingerprint, int rows, OutputSchema schema, Map<Integer, Settled> into,
                             BatchJob[] pending) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long good = 0;
        int line = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            line++;
            boolean complete = end < bytes.length;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            JsonObject o;
            try {
                o = JsonParser.parseString(text).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                if (!complete || end + 1 >= bytes.length) {
                    break; // the last line, cut off by a crash: dropped
                }
                throw new NotebenchException(ErrorCode.DATA_INVALID, "line " + line + " of the journal " + file + " is not a JSON"
                        + " object: the journal was edited or damaged: correct or delete that line (its rows are then asked again)"
                        + " and --resume, or start over with --fresh");
            }
            if (line == 1) {
                if (!o.has("notebench_enrich_journal") || !o.has("fingerprint") || !o.get("fingerprint").isJsonPrimitive()) {
                    throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not an enrichment journal; give another output"
                            + " path or delete it");
                }
                if (!fingerprint.equals(o.get("fingerprint").getAsString())) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the journal " + file + " belongs to another job (other"
                            + " rows, fields, instructions, examples or model); resume with the same settings, write to another"
                            + " output, or start over with --fresh");
                }
            } else {
                if (!complete) {
                    break; // written but not terminated: not known to be durable
                }
                if (o.has("batch") || o.has("batch_collected")) {
                    pending[0] = batchLine(o, pending[0], rows, file, line);
                } else {
                    parse(o, rows, schema, into, file, line);
                }
            }
            good = end + 1L;
            start = end + 1;
        }
        if (good == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the journal " + file + " has no complete header line; start over"
                    + " with --fresh");
        }
        return good;
    }

    /**
     * Reads one line of settled rows into {@code into}, checking it against the job: every row id
     * one of the job's rows, every value of its field's type (an enum's value one of its values),
     * a reason for every failure; a later line about a row replaces an earlier one.
     *
     * @throws NotebenchException (DATA_INVALID) naming the file, the line and what is wrong
     */
    private static void parse(JsonObject o, int rows, OutputSchema schema, Map<Integer, Settled> into, Path file, int line) {
        List<Field> fields = schema.fields();
        Map<Integer, Settled> read = new LinkedHashMap<>();
        try {
            if (!o.has("done") && !o.has("failed")) {
                throw new BadLine("it has neither \"done\" nor \"failed\" rows");
            }
            for (String key : o.keySet()) {
                if (!key.equals("done") && !key.equals("failed")) {
                    throw new BadLine("it has the unknown key \"" + key + "\"");
                }
            }
            for (JsonElement e : array(o, "done")) {
                JsonArray pair = e.isJsonArray() && e.getAsJsonArray().size() == 3 ? e.getAsJsonArray() : pair(e, "[row, [values]]");
                Double confidence = pair.size() == 3 ? confidence(pair.get(2)) : null;
                int id = rowId(pair.get(0), rows);
                if (!pair.get(1).isJsonArray()) {
                    throw new BadLine("row " + id + " has no list of values");
                }
                JsonArray v = pair.get(1).getAsJsonArray();
                if (v.size() != fields.size()) {
                    throw new BadLine("row " + id + " has " + v.size() + " value" + (v.size() == 1 ? "" : "s") + ", but the job has "
                            + fields.size() + " field" + (fields.size() == 1 ? "" : "s") + " " + fields.stream().map(Field::name).toList());
                }
                JsonObject row = new JsonObject();
                for (int i = 0; i < fields.size(); i++) {
                    row.add(fields.get(i).name(), v.get(i));
                }
                try {
                    read.put(id, new Settled(id, schema.validate(row), null, confidence));
                } catch (OutputSchema.InvalidRowException bad) {
                    throw new BadLine("row " + id + "'s " + bad.getMessage());
                }
            }
            for (JsonElement e : array(o, "failed")) {
                JsonArray pair = pair(e, "[row, \"reason\"]");
                int id = rowId(pair.get(0), rows);
                if (!pair.get(1).isJsonPrimitive() || !pair.get(1).getAsJsonPrimitive().isString()) {
                    throw new BadLine("row " + id + " failed without a reason");
                }
                read.put(id, new Settled(id, null, pair.get(1).getAsString()));
            }
        } catch (BadLine bad) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "line " + line + " of the journal " + file + " does not fit this"
                    + " job: " + bad.getMessage() + ". The journal was edited or damaged: correct or delete that line (its rows"
                    + " are then asked again) and --resume, or start over with --fresh");
        }
        into.putAll(read);
    }

    /** The batch job pending after a batch line: the job it journals, or none once the pending one is collected. */
    private static BatchJob batchLine(JsonObject o, BatchJob pending, int rows, Path file, int line) {
        try {
            if (o.size() != 1) {
                throw new BadLine("a batch line has one key, \"batch\" or \"batch_collected\"");
            }
            if (o.has("batch_collected")) {
                return pending != null && o.get("batch_collected").isJsonPrimitive()
                        && pending.id().equals(o.get("batch_collected").getAsString()) ? null : pending;
            }
            if (!o.get("batch").isJsonObject()) {
                throw new BadLine("\"batch\" is not an object");
            }
            JsonObject b = o.getAsJsonObject("batch");
            if (!(b.get("id") instanceof com.google.gson.JsonPrimitive id) || !(b.get("input_file_id") instanceof com.google.gson.JsonPrimitive in)
                    || !(b.get("requests") instanceof JsonObject requests)) {
                throw new BadLine("a batch job needs \"id\", \"input_file_id\" and \"requests\"");
            }
            Map<String, List<Integer>> asked = new LinkedHashMap<>();
            for (String customId : requests.keySet()) {
                List<Integer> ids = new ArrayList<>();
                for (JsonElement e : array(requests, customId)) {
                    ids.add(rowId(e, rows));
                }
                asked.put(customId, ids);
            }
            return new BatchJob(id.getAsString(), in.getAsString(), asked);
        } catch (BadLine bad) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "line " + line + " of the journal " + file + " does not fit this"
                    + " job: " + bad.getMessage() + ". The journal was edited or damaged: correct or delete that line and"
                    + " --resume, or start over with --fresh");
        }
    }

    private static JsonArray array(JsonObject o, String key) {
        if (!o.has(key)) {
            return new JsonArray();
        }
        if (!o.get(key).isJsonArray()) {
            throw new BadLine("\"" + key + "\" is not a list");
        }
        return o.getAsJsonArray(key);
    }

    /** A journalled confidence: a number from 0 to 1. */
    private static Double confidence(JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double c = e.getAsDouble();
            if (c >= 0 && c <= 1) {
                return c;
            }
        }
        throw new BadLine("a confidence is " + abbreviate(e.toString()) + ", not a number from 0 to 1");
    }

    private static JsonArray pair(JsonElement e, String shape) {
        if (!e.isJsonArray() || e.getAsJsonArray().size() != 2) {
            throw new BadLine("an entry is " + abbreviate(e.toString()) + ", not " + shape);
        }
        return e.getAsJsonArray();
    }

    private static int rowId(JsonElement e, int rows) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            try {
                int id = new java.math.BigDecimal(e.getAsString()).intValueExact();
                if (id >= 0 && id < rows) {
                    return id;
                }
            } catch (ArithmeticException | NumberFormatException notAnInt) {
                // reported below
            }
        }
        throw new BadLine("it names row " + abbreviate(e.toString()) + ", but the job's rows are 0.." + (rows - 1));
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** What is wrong with a journal line, before the file and line are known to the message. */
    private static final class BadLine extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadLine(String message) {
            super(message, null, false, false);
        }
    }

    /** The rows settled by earlier runs. */
    Map<Integer, Settled> restored() {
        return restored;
    }

    /** The batch job an earlier process submitted and did not collect; null when none. */
    BatchJob pendingBatch() {
        return pendingBatch;
    }

    /** Journals a batch job as soon as it is created, before it is polled. */
    void appendBatch(BatchJob job) {
        JsonObject requests = new JsonObject();
        job.requests().forEach((customId, ids) -> {
            JsonArray a = new JsonArray();
            ids.forEach(a::add);
            requests.add(customId, a);
        });
        JsonObject b = new JsonObject();
        b.addProperty("id", job.id());
        b.addProperty("input_file_id", job.inputFileId());
        b.add("requests", requests);
        JsonObject line = new JsonObject();
        line.add("batch", b);
        write(line);
    }

    /** Journals that a batch job's answers are all journalled (after its rows' lines). */
    void appendCollected(String id) {
        JsonObject line = new JsonObject();
        line.addProperty("batch_collected", id);
        write(line);
    }

    /** Appends settled rows and forces them to disk. */
    synchronized void append(List<Settled> settled) {
        if (settled.isEmpty()) {
            return;
        }
        JsonArray done = new JsonArray();
        JsonArray failed = new JsonArray();
        for (Settled s : settled) {
            JsonArray pair = new JsonArray();
            pair.add(s.id());
            if (s.error() == null) {
                JsonArray v = new JsonArray();
                for (Object x : s.values()) {
                    if (x instanceof Boolean b) {
                        v.add(b);
                    } else if (x instanceof Number n) {
                        v.add(n);
                    } else {
                        v.add((String) x);
                    }
                }
                pair.add(v);
                if (s.confidence() != null) {
                    pair.add(s.confidence());
                }
                done.add(pair);
            } else {
                pair.add(s.error());
                failed.add(pair);
            }
        }
        JsonObject line = new JsonObject();
        if (!done.isEmpty()) {
            line.add("done", done);
        }
        if (!failed.isEmpty()) {
            line.add("failed", failed);
        }
        write(line);
    }

    private synchronized void write(JsonObject line) {
        try {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot append to the journal " + file + " (" + e.getMessage()
                    + "); free disk space, then resume", e);
        }
    }

    Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // every line was forced already
        }
    }
}
