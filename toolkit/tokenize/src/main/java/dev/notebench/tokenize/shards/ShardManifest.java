package dev.notebench.tokenize.shards;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The manifest of a directory of token shards, {@value #FILE}: the one type that reads and
 * writes it (format {@value #FORMAT}). It is written last, whole, so a directory with a manifest
 * holds every shard it lists.
 *
 * <pre>{@code
 * {
 *   "format": "notebench-token-shards/1",
 *   "tokenizer": "9f2c...",            // SHA-256 of the tokenizer's file
 *   "vocab_size": 8000,
 *   "dtype": "uint16",                 // or "int32"
 *   "tokens": 1234567,
 *   "shard_bytes": 67108864,           // the plan: text per shard, 0 when shards are partitions
 *   "inputs": [{"path": "datasets/sotu/sotu.txt", "bytes": 1000, "modified": 1700000000000}],
 *   "shards": [{"file": "shard-00000.bin", "tokens": 1000, "source": "datasets/sotu/sotu.txt",
 *               "first_line": 1, "lines": 40}]
 * }
 * }</pre>
 *
 * @param tokenizer the SHA-256 of the tokenizer's file
 * @param vocabSize the tokenizer's vocabulary size
 * @param dtype how ids are stored
 * @param shardBytes how much text one shard was planned to hold (0: one shard per partition)
 * @param inputs the files encoded, with their sizes and modification times when the plan was made
 * @param shards the shards, in corpus order
 */
public record ShardManifest(String tokenizer, int vocabSize, TokenDtype dtype, long shardBytes, List<Input> inputs,
                            List<Shard> shards) {
    /** The manifest's name in its directory. */
    public static final String FILE = "shards.json";
    /** The format this type reads and writes. */
    public static final String FORMAT = "notebench-token-shards/1";

    /**
     * One input file as it was when the plan was made.
     *
     * @param path the path as the corpus resolved it
     * @param bytes its size
     * @param modified its modification time, in milliseconds since the epoch
     */
    public record Input(String path, long bytes, long modified) {
        /** Checks the values. */
        public Input {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * One shard.
     *
     * @param file the shard's file name in the directory
     * @param tokens how many tokens it holds
     * @param source where its text came from: an input's path, or {@code partition N}
     * @param firstLine the number (from 1) of its first line in that source
     * @param lines how many lines (or rows) it encoded
     */
    public record Shard(String file, long tokens, String source, long firstLine, long lines) {
        /** Checks the values. */
        public Shard {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Checks the values and copies the lists. */
    public ShardManifest {
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(dtype, "dtype");
        inputs = List.copyOf(inputs);
        shards = List.copyOf(shards);
    }

    /** Returns the tokens of every shard. */
    public long tokens() {
        long n = 0;
        for (Shard s : shards) {
            n += s.tokens();
        }
        return n;
    }

    /** Returns a copy with other shards. */
    public ShardManifest withShards(List<Shard> shards) {
        return new ShardManifest(tokenizer, vocabSize, dtype, shardBytes, inputs, shards);
    }

    /**
     * Reads the manifest of a shard directory.
     *
     * @param dir the directory
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when it has none, or
     *     {@link ErrorCode#DATA_INVALID} when it is not this format
     */
    public static ShardManifest read(Path dir) {
        return read(dir.resolve(FILE), dir);
    }

    static ShardManifest read(Path file, Path dir) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (file.getFileName().toString().equals(FILE) && Files.exists(dir.resolve(CorpusEncoder.PLAN))) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, dir + " holds token shards not yet finished (no " + FILE
                        + "); run the same " + dev.notebench.FrontEnd.command("tokenizer encode") + " again to finish them");
            }
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, dir + " holds no token shards (no " + file.getFileName()
                    + "); write them with " + dev.notebench.FrontEnd.command("tokenizer encode --corpus GLOB --out " + dir));
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            String format = o.has("format") ? o.get("format").getAsString() : "";
            if (!format.equals(FORMAT)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is format '" + format + "', not " + FORMAT
                        + "; write the shards again with this version");
            }
            List<Input> inputs = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("inputs")) {
                JsonObject i = e.getAsJsonObject();
                inputs.add(new Input(i.get("path").getAsString(), i.get("bytes").getAsLong(), i.get("modified").getAsLong()));
            }
            List<Shard> shards = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("shards")) {
                shards.add(shard(e.getAsJsonObject()));
            }
            return new ShardManifest(o.get("tokenizer").getAsString(), o.get("vocab_size").getAsInt(),
                    TokenDtype.parse(o.get("dtype").getAsString()), o.get("shard_bytes").getAsLong(), inputs, shards);
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not a token shard manifest (" + e.getMessage()
                    + "); delete " + dir + " and write the shards again", e);
        }
    }

    /**
     * Writes the manifest into a directory, whole (written last: the shards it lists must exist).
     *
     * @param dir the directory
     */
    public void write(Path dir) {
        writeFile(dir.resolve(FILE));
    }

    void writeFile(Path file) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("tokenizer", tokenizer);
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("dtype", dtype.jsonName());
        o.addProperty("tokens", tokens());
        o.addProperty("shard_bytes", shardBytes);
        JsonArray in = new JsonArray();
        for (Input i : inputs) {
            JsonObject j = new JsonObject();
            j.addProperty("path", i.path());
            j.addProperty("bytes", i.bytes());
            j.addProperty("modified", i.modified());
            in.add(j);
        }
        o.add("inputs", in);
        JsonArray sh = new JsonArray();
        for (Shard s : shards) {
            sh.add(json(s));
        }
        o.add("shards", sh);
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n");
    }

    static JsonObject json(Shard s) {
        JsonObject j = new JsonObject();
        j.addProperty("file", s.file());
        j.addProperty("tokens", s.tokens());
        j.addProperty("source", s.source());
        j.addProperty("first_line", s.firstLine());
        j.addProperty("lines", s.lines());
        return j;
    }

    static Shard shard(JsonObject j) {
        return new Shard(j.get("file").getAsString(), j.get("tokens").getAsLong(), j.get("source").getAsString(),
                j.get("first_line").getAsLong(), j.get("lines").getAsLong());
    }
}
