package dev.notebench.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.FileErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sharded checkpoint read as one: {@code model.safetensors.index.json}'s {@code weight_map}
 * (tensor name → shard file) over the shards, each opened once. Every shard's header is checked,
 * and the index against the shards: a missing shard, a name the index places in a shard that
 * lacks it, or a name held by two shards is an error. Tensors a shard holds that the index does not
 * name are left out, as transformers leaves them.
 *
 * <pre>{@code
 * try (SafetensorsReader w = ShardedSafetensors.open(dir.resolve("model.safetensors.index.json"))) {
 *     FloatBuffer embed = w.floats("model.embed_tokens.weight");
 * }
 * }</pre>
 */
public final class ShardedSafetensors implements SafetensorsReader {
    private final Path index;
    private final Map<String, SafetensorsFile> byTensor;
    private final List<SafetensorsFile> shards;

    private ShardedSafetensors(Path index, Map<String, SafetensorsFile> byTensor, List<SafetensorsFile> shards) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    /**
     * Opens the shards an index names.
     *
     * @param index the {@code model.safetensors.index.json}
     * @return the reader over all shards; close it
     * @throws NotebenchException DATA_NOT_FOUND for a missing index or shard, DATA_INVALID for a
     *     malformed index, a bad shard header or tensors that do not match the index
     */
    public static ShardedSafetensors open(Path index) {
        Map<String, String> weightMap = readWeightMap(index);
        Path dir = index.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> files = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new TreeMap<>();
        try {
            for (String shard : new TreeSet<>(weightMap.values())) {
                Path p = dir.resolve(shard);
                if (!Files.isRegularFile(p)) {
                    throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "sharded checkpoint " + index + " names shard "
                            + shard + ", which is not in " + dir + "; download or save the checkpoint again");
                }
                files.put(shard, SafetensorsFile.open(p));
            }
            Map<String, String> holder = new TreeMap<>();
            for (Map.Entry<String, SafetensorsFile> f : files.entrySet()) {
                for (String name : f.getValue().names()) {
                    String before = holder.put(name, f.getKey());
                    if (before != null) {
                        throw invalid(index, "tensor '" + name + "' is in two shards, " + before + " and " + f.getKey());
                    }
                }
            }
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                String actual = holder.get(e.getKey());
                if (!e.getValue().equals(actual)) {
                    throw invalid(index, "its weight_map puts tensor '" + e.getKey() + "' in " + e.getValue() + ", but "
                            + (actual == null ? "no shard holds it" : "it is in " + actual));
                }
                byTensor.put(e.getKey(), files.get(e.getValue()));
            }
            ShardedSafetensors opened = new ShardedSafetensors(index, Collections.unmodifiableMap(byTensor),
                    List.copyOf(files.values()));
            files.clear();
            return opened;
        } finally {
            files.values().forEach(SafetensorsFile::close);
        }
    }

    private static Map<String, String> readWeightMap(Path index) {
        String text;
        try {
            text = Files.readString(index);
        } catch (IOException e) {
            throw FileErrors.of("read the checkpoint index " + index, index, e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw invalid(index, "it is not JSON");
        }
        JsonElement wm = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
        if (wm == null || !wm.isJsonObject()) {
            throw invalid(index, "it has no weight_map object");
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : ((JsonObject) wm).entrySet()) {
            String shard = e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : "";
            if (shard.isEmpty() || shard.contains("/") || shard.contains("\\")) {
                throw invalid(index, "its weight_map entry for '" + e.getKey() + "' is not a file name in its directory: "
                        + e.getValue());
            }
            out.put(e.getKey(), shard);
        }
        return out;
    }

    private static NotebenchException invalid(Path index, String problem) {
        return new NotebenchException(ErrorCode.DATA_INVALID, "cannot read sharded checkpoint " + index + ": " + problem
                + "; download or save the checkpoint again");
    }

    /** Returns the shard files in name order. */
    public List<Path> shardFiles() {
        List<Path> out = new ArrayList<>();
        shards.forEach(s -> out.add(s.file()));
        return out;
    }

    @Override
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(byTensor.keySet()));
    }

    private SafetensorsFile shard(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "sharded checkpoint " + index + " has no tensor '" + name
                    + "'; its tensors are listed by names()");
        }
        return f;
    }

    @Override
    public TensorInfo info(String name) {
        return shard(name).info(name);
    }

    @Override
    public Map<String, String> metadata() {
        return shards.isEmpty() ? Map.of() : shards.get(0).metadata();
    }

    @Override
    public ByteBuffer raw(String name) {
        return shard(name).raw(name);
    }

    @Override
    public ByteBuffer f32(String name) {
        return shard(name).f32(name);
    }

    @Override
    public Optional<ByteBuffer> mapCopyOnWrite(String name) {
        return shard(name).mapCopyOnWrite(name);
    }

    @Override
    public long readF32(String name, long fromElement, ByteBuffer into) {
        return shard(name).readF32(name, fromElement, into);
    }

    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }

    @Override
    public String toString() {
        return "sharded checkpoint " + index;
    }
}
