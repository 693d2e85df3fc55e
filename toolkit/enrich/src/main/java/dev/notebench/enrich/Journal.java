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

    /** A settled row: its values, or the reason it failed. */
    record Settled(int id, List<Object> values, String error) {
    }

    private final Path file;
    private final FileChannel channel;
    private final Map<Integer, Settled> restored;

    private Journal(Path file, FileChannel channel, Map<Integer, Settled> restored) {
        this.file = file;
        this.channel = channel;
        this.restored = restored;
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
            if (exists && mode == Mode.RESUME) {
                long good = read(file, fingerprint, rows, schema, restored);
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
            return new Journal(file, channel, restored);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a journal into {@code into}; returns the length of its complete lines. */
    private static long read(Path file, String fingerprint, int rows, OutputSchema schema, Map<Integer, Settled> into)
            throws IOException {
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
                throw new NotebenchException(ErrorCode.DATA_INVALID, "line " + line + " of the journal " + file + " is damaged ("
                        + e.getMessage() + "); start over with --fresh");
            }
            if (line == 1) {
                if (!o.has("notebench_enrich_journal")) {
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
                parse(o, rows, schema, into);
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

    private static void parse(JsonObject o, int rows, OutputSchema schema, Map<Integer, Settled> into) {
        List<Field> fields = schema.fields();
        if (o.has("done")) {
            for (JsonElement e : o.getAsJsonArray("done")) {
                JsonArray pair = e.getAsJsonArray();
                int id = pair.get(0).getAsInt();
                JsonArray v = pair.get(1).getAsJsonArray();
                List<Object> values = new ArrayList<>(fields.size());
                for (int i = 0; i < fields.size(); i++) {
                    JsonElement x = v.get(i);
                    values.add(switch (fields.get(i).type()) {
                        case BOOLEAN -> x.getAsBoolean();
                        case NUMBER -> x.getAsDouble();
                        case INTEGER -> x.getAsLong();
                        case STRING, ENUM -> x.getAsString();
                    });
                }
                if (id >= 0 && id < rows) {
                    into.put(id, new Settled(id, values, null));
                }
            }
        }
        if (o.has("failed")) {
            for (JsonElement e : o.getAsJsonArray("failed")) {
                JsonArray pair = e.getAsJsonArray();
                int id = pair.get(0).getAsInt();
                if (id >= 0 && id < rows) {
                    into.put(id, new Settled(id, null, pair.get(1).getAsString()));
                }
            }
        }
    }

    /** The rows settled by earlier runs. */
    Map<Integer, Settled> restored() {
        return restored;
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
