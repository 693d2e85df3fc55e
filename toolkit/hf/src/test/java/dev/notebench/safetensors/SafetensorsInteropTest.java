package dev.notebench.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our reader and writer against Hugging Face's (safetensors.torch, transformers' save_pretrained). */
class SafetensorsInteropTest {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    @TempDir
    Path dir;

    /** A tensor as the Python side is told to make it: values given as F32, stored as dtype. */
    private record Spec(String dtype, long[] shape, float[] values) {
    }

    private static Map<String, Spec> specs(String... dtypes) {
        Random r = new Random(19);
        long[][] shapes = {{2, 3}, {4}, {}, {0}, {3, 1, 2}, {2, 0, 3}};
        Map<String, Spec> out = new LinkedHashMap<>();
        for (String dtype : dtypes) {
            for (int i = 0; i < shapes.length; i++) {
                long n = 1;
                for (long d : shapes[i]) {
                    n *= d;
                }
                float[] v = new float[(int) n];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) r.nextGaussian() * 3;
                }
                out.put(dtype.toLowerCase() + ".t" + i, new Spec(dtype, shapes[i], v));
            }
            // rounding and range edges: ties, the largest half, half subnormals, signed zero, infinities
            out.put(dtype.toLowerCase() + ".edges", new Spec(dtype, new long[] {10}, new float[] {1.00048828125f, 65504f, 65519f,
                    1e-7f, 6.1e-5f, -0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3.4e38f, 1.0039062f}));
        }
        return out;
    }

    private Path pythonSave(Map<String, Spec> specs, String name) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        specs.forEach((k, s) -> json.put(k, Map.of("dtype", s.dtype, "shape", s.shape, "values", s.values)));
        Path spec = dir.resolve(name + ".json");
        Files.writeString(spec, GSON.toJson(json));
        Path out = dir.resolve(name + ".safetensors");
        PythonReference.safetensors("save", spec.toString(), out.toString());
        return out;
    }

    private static float[] floats(JsonElement values) {
        JsonArray a = values.getAsJsonArray();
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).getAsDouble();
        }
        return out;
    }

    private static long[] longs(JsonElement values) {
        JsonArray a = values.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    /** Asserts that what we read equals what Python's load_file reads, value for value. */
    private static void assertSameAsPython(JsonObject python, SafetensorsReader ours) {
        assertEquals(new ArrayList<>(new TreeMap<>(python.asMap()).keySet()), new ArrayList<>(ours.names()));
        for (String name : ours.names()) {
            JsonObject p = python.getAsJsonObject(name);
            TensorInfo t = ours.info(name);
            assertEquals(p.get("dtype").getAsString(), t.dtype().name(), name);
            assertArrayEquals(longs(p.get("shape")), t.shape(), name);
            assertArrayEquals(floats(p.get("values")), ours.toFloatArray(name), name);
            assertArrayEquals(floats(p.get("values")), readInPieces(ours, name), name + " read three values at a time");
        }
    }

    /** A tensor's values read with {@link SafetensorsReader#readF32} through a buffer of three floats. */
    private static float[] readInPieces(SafetensorsReader ours, String name) {
        float[] out = new float[Math.toIntExact(ours.info(name).elementCount())];
        ByteBuffer piece = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at < out.length) {
            piece.clear();
            long n = ours.readF32(name, at, piece);
            assertEquals(Math.min(3, out.length - at), n, name);
            assertEquals(4 * n, piece.limit(), name);
            piece.asFloatBuffer().get(out, at, (int) n);
            at += (int) n;
        }
        return out;
    }

    @Test
    void filesWrittenBySaveFileReadWithPythonsValues() throws Exception {
        Path file = pythonSave(specs("F32", "F16", "BF16"), "mixed");
        JsonObject python = PythonReference.safetensors("read", file.toString());
        try (SafetensorsReader f = SafetensorsReader.open(file)) {
            assertInstanceOf(SafetensorsFile.class, f);
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(21, f.names().size());
            assertSameAsPython(python, f);
            assertArrayEquals(new long[0], f.info("f32.t2").shape());
            assertEquals(1, f.info("f32.t2").elementCount());
            assertEquals(0, f.toFloatArray("bf16.t3").length);
            assertEquals(ByteOrder.LITTLE_ENDIAN, f.f32("f16.t0").order());
            assertEquals(specs("F32").get("f32.t0").values[4], f.floats("f32.t0").get(4));
        }
    }

    @Test
    void ourFilesAreByteForByteThoseOfSaveFileAndLoadFileReadThem() throws Exception {
        for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16)) {
            Map<String, Spec> specs = specs(dtype.name());
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            specs.forEach((k, s) -> tensors.put(k, TensorData.of(s.values, s.shape)));
            Path ours = dir.resolve("ours-" + dtype + ".safetensors");
            SafetensorsWriter.builder().dtype(dtype).build().writeFile(ours, tensors);

            Path theirs = pythonSave(specs, "theirs-" + dtype);
            assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours), dtype + " bytes");
            try (SafetensorsReader f = SafetensorsReader.open(ours)) {
                assertSameAsPython(PythonReference.safetensors("read", ours.toString()), f);
                if (dtype == DType.F32) {
                    specs.forEach((k, s) -> assertArrayEquals(s.values, f.toFloatArray(k), k));
                }
            }
        }
    }

    @Test
    void checkpointShardedBySavePretrainedReadsThroughItsIndex() throws Exception {
        Path model = dir.resolve("sharded");
        JsonObject stateDict = PythonReference.safetensors("sharded", model.toString(), "8KB");
        try (SafetensorsReader w = SafetensorsReader.open(model)) {
            ShardedSafetensors sharded = assertInstanceOf(ShardedSafetensors.class, w);
            assertEquals(4, sharded.shardFiles().size());
            assertEquals(model.resolve("model-00001-of-00004.safetensors"), sharded.shardFiles().get(0));
            assertSameAsPython(stateDict, w);
            assertEquals(Map.of("format", "pt"), w.metadata());
        }
    }

    @Test
    void ourShardedCheckpointHasTransformersIndexAndReadsBack() throws Exception {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            float[] v = new float[100];
            java.util.Arrays.fill(v, i);
            tensors.put("layer." + i + ".weight", TensorData.of(v, 10, 10));
        }
        Path out = dir.resolve("ours-sharded");
        Files.createDirectories(out);
        Files.writeString(out.resolve("model.safetensors"), "left by an earlier save");
        List<Path> files = SafetensorsWriter.builder().maxShardBytes(900).build().writeCheckpoint(out, tensors);
        assertEquals(List.of(out.resolve("model-00001-of-00003.safetensors"), out.resolve("model-00002-of-00003.safetensors"),
                out.resolve("model-00003-of-00003.safetensors"), out.resolve("model.safetensors.index.json")), files);
        JsonObject index = JsonParser.parseString(Files.readString(out.resolve("model.safetensors.index.json"))).getAsJsonObject();
        assertEquals("{\"total_parameters\":500,\"total_size\":2000}", index.get("metadata").toString());
        assertEquals("model-00002-of-00003.safetensors", index.getAsJsonObject("weight_map").get("layer.3.weight").getAsString());
        assertEquals(false, Files.exists(out.resolve("model.safetensors")));
        JsonObject python = new JsonObject();
        for (Path f : files.subList(0, 3)) {
            PythonReference.safetensors("read", f.toString()).asMap().forEach(python::add);
        }
        try (SafetensorsReader r = SafetensorsReader.open(out)) {
            assertSameAsPython(python, r);
        }
        // saved again unsharded: the shards and the index go, so the directory reads as the new save
        SafetensorsWriter.builder().build().writeCheckpoint(out, Map.of("only", TensorData.of(new float[] {7f}, 1)));
        try (var listing = Files.list(out)) {
            assertEquals(List.of("model.safetensors"), listing.map(p -> p.getFileName().toString()).toList());
        }
    }
}
