package dev.notebench.safetensors;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.FileErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes tensors as safetensors the way Hugging Face's writer lays them out: {@code __metadata__}
 * {@code {"format":"pt"}} first, tensors in name order, the header padded with spaces to a multiple
 * of 8 bytes, so that for the same tensors the bytes equal those of
 * {@code safetensors.torch.save_file(tensors, f, metadata={"format": "pt"})}. Values are written as
 * F32, or F16 / BF16 rounded to nearest even as PyTorch rounds. Each file is written whole or not
 * at all.
 *
 * <p>Immutable; {@link #builder()} makes one, {@link #toBuilder()} a variant.
 *
 * <pre>{@code
 * Map<String, TensorData> weights = Map.of("lm_head.weight", TensorData.of(values, 64, 16));
 * SafetensorsWriter.builder().maxShardBytes(2_000_000_000L).build().writeCheckpoint(dir, weights);
 * }</pre>
 */
public final class SafetensorsWriter {
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();
    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    private final DType dtype;
    private final long maxShardBytes;
    private final Map<String, String> metadata;

    private SafetensorsWriter(Builder b) {
        this.dtype = b.dtype;
        this.maxShardBytes = b.maxShardBytes;
        this.metadata = Map.copyOf(b.metadata);
    }

    /** Returns a builder: F32, {@code {"format":"pt"}}, no sharding. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this writer's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dtype = dtype;
        b.maxShardBytes = maxShardBytes;
        b.metadata = new TreeMap<>(metadata);
        return b;
    }

    /**
     * Writes one {@code .safetensors} file.
     *
     * @param file the output
     * @param tensors the tensors by name
     * @throws NotebenchException when the file cannot be written
     */
    public void writeFile(Path file, Map<String, TensorData> tensors) {
        Map<String, TensorData> sorted = new TreeMap<>(tensors);
        byte[] header = header(sorted);
        AtomicFiles.write(file, out -> {
            out.write(header);
            for (TensorData t : sorted.values()) {
                writeValues(out, t.values().duplicate());
            }
        });
    }

    /**
     * Writes a checkpoint into a directory as {@code save_pretrained} does: {@value SafetensorsReader#MODEL_FILE}
     * when everything fits in one shard, else {@code model-00001-of-0000N.safetensors} and
     * {@value SafetensorsReader#INDEX_FILE} (with {@code metadata.total_size} and
     * {@code total_parameters}), written after the shards. Shards and an index left by an earlier
     * save into the same directory are removed.
     *
     * @param dir the output directory, created if needed
     * @param tensors the tensors by name
     * @return the files written, the index last
     * @throws NotebenchException when a file cannot be written
     */
    public List<Path> writeCheckpoint(Path dir, Map<String, TensorData> tensors) {
        List<Map<String, TensorData>> shards = new ArrayList<>();
        Map<String, TensorData> current = new TreeMap<>();
        long currentBytes = 0;
        long totalBytes = 0;
        long totalParameters = 0;
        for (Map.Entry<String, TensorData> e : new TreeMap<>(tensors).entrySet()) {
            long bytes = e.getValue().elementCount() * dtype.byteSize();
            if (maxShardBytes > 0 && !current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new TreeMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += bytes;
            totalBytes += bytes;
            totalParameters += e.getValue().elementCount();
        }
        shards.add(current);
        List<Path> written = new ArrayList<>();
        if (shards.size() == 1) {
            Path file = dir.resolve(SafetensorsReader.MODEL_FILE);
            writeFile(file, shards.get(0));
            written.add(file);
        } else {
            Map<String, String> weightMap = new TreeMap<>();
            for (int i = 0; i < shards.size(); i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                writeFile(dir.resolve(name), shards.get(i));
                written.add(dir.resolve(name));
                shards.get(i).keySet().forEach(k -> weightMap.put(k, name));
            }
            JsonObject meta = new JsonObject();
            meta.addProperty("total_parameters", totalParameters);
            meta.addProperty("total_size", totalBytes);
            JsonObject index = new JsonObject();
            index.add("metadata", meta);
            index.add("weight_map", PRETTY.toJsonTree(weightMap));
            Path indexFile = dir.resolve(SafetensorsReader.INDEX_FILE);
            AtomicFiles.writeString(indexFile, PRETTY.toJson(index) + "\n");
            written.add(indexFile);
        }
        removeStale(dir, written);
        return written;
    }

    private static void removeStale(Path dir, List<Path> written) {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "{model-*-of-*.safetensors,"
                + SafetensorsReader.INDEX_FILE + "," + SafetensorsReader.MODEL_FILE + "}")) {
            for (Path p : old) {
                if (!written.contains(p)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw FileErrors.of("remove an earlier checkpoint's files from " + dir, dir, e);
        }
    }

    private byte[] header(Map<String, TensorData> sorted) {
        JsonObject root = new JsonObject();
        if (!metadata.isEmpty()) {
            root.add(Header.METADATA, COMPACT.toJsonTree(new TreeMap<>(metadata)));
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : sorted.entrySet()) {
            if (e.getKey().equals(Header.METADATA)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "a tensor may not be named " + Header.METADATA
                        + "; rename it");
            }
            JsonObject t = new JsonObject();
            t.addProperty("dtype", dtype.name());
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            long end = offset + e.getValue().elementCount() * dtype.byteSize();
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(end);
            t.add("data_offsets", offsets);
            root.add(e.getKey(), t);
            offset = end;
        }
        byte[] json = COMPACT.toJson(root).getBytes(StandardCharsets.UTF_8);
        int padded = json.length + (8 - json.length % 8) % 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    private void writeValues(OutputStream out, FloatBuffer values) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        while (values.hasRemaining()) {
            while (values.hasRemaining() && chunk.remaining() >= 4) {
                float v = values.get();
                switch (dtype) {
                    case F32 -> chunk.putFloat(v);
                    case F16 -> chunk.putShort(HalfFloats.floatToF16(v));
                    default -> chunk.putShort(HalfFloats.floatToBf16(v));
                }
            }
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
        }
    }

    /** Settings of a {@link SafetensorsWriter}. */
    public static final class Builder {
        private DType dtype = DType.F32;
        private long maxShardBytes;
        private Map<String, String> metadata = new LinkedHashMap<>(Map.of("format", "pt"));

        private Builder() {
        }

        /**
         * Sets the element type written.
         *
         * @param dtype F32 (the default), F16 or BF16
         * @return this builder
         */
        public Builder dtype(DType dtype) {
            if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "safetensors can be written as F32, F16 or BF16, not "
                        + dtype);
            }
            this.dtype = dtype;
            return this;
        }

        /**
         * Splits {@link #writeCheckpoint} output into shards of at most this many data bytes (a
         * tensor larger than that gets a shard of its own), as {@code max_shard_size} does.
         *
         * @param bytes the limit; 0 for one file
         * @return this builder
         */
        public Builder maxShardBytes(long bytes) {
            if (bytes < 0) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the maximum shard size must be 0 (no sharding) or"
                        + " positive, not " + bytes);
            }
            this.maxShardBytes = bytes;
            return this;
        }

        /**
         * Replaces the {@code __metadata__} strings (by default {@code {"format": "pt"}}, which
         * transformers requires).
         *
         * @param metadata the strings; empty for none
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = new LinkedHashMap<>(metadata);
            return this;
        }

        /** Returns the writer. */
        public SafetensorsWriter build() {
            return new SafetensorsWriter(this);
        }
    }
}
