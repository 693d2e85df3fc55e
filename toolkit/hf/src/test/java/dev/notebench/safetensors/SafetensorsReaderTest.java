package dev.notebench.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading: headers checked with exact messages, files over 2 GiB, shards, the shape check. */
class SafetensorsReaderTest {
    private static final String ADVICE = "; the file is damaged or not safetensors: download or save it again";

    @TempDir
    Path dir;

    /** A file with this header JSON (unpadded) and this many zero data bytes. */
    private Path file(String name, String json, int dataBytes) throws Exception {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private String openFails(Path p) {
        NotebenchException e = assertThrows(NotebenchException.class, () -> SafetensorsFile.open(p).close());
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        return e.getMessage();
    }

    private String headerFails(String json, int dataBytes) throws Exception {
        Path p = file("bad.safetensors", json, dataBytes);
        String m = openFails(p);
        String head = "cannot read safetensors file " + p + ": ";
        assertEquals(true, m.startsWith(head) && m.endsWith(ADVICE), m);
        return m.substring(head.length(), m.length() - ADVICE.length());
    }

    @Test
    void badHeadersAreOneErrorNamingFileTensorAndProblem() throws Exception {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertEquals("cannot read safetensors file " + tiny + ": it is 3 bytes long, shorter than the 8-byte header length"
                + ADVICE, openFails(tiny));
        Path longHeader = dir.resolve("long.safetensors");
        Files.write(longHeader, ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertEquals("cannot read safetensors file " + longHeader + ": its header length 1000 runs past the end of the file"
                + " (20 bytes)" + ADVICE, openFails(longHeader));
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertEquals("cannot read safetensors file " + huge + ": its header length 18446744073709551615 is over the"
                + " 100000000-byte limit" + ADVICE, openFails(huge));

        assertEquals("its header is not JSON (Expected ':' at line 1 column 11 path $.a.1)", headerFails("{\"a\": {1 2", 0));
        assertEquals("its header is not a JSON object", headerFails("[1]", 0));
        assertEquals("its __metadata__ is not an object of strings ('n' is 1)", headerFails("{\"__metadata__\":{\"n\":1}}", 0));
        assertEquals("tensor 'w' has unknown dtype 'Q4' (known: F64, F32, F16, BF16, I64, U64, I32, U32, I16, U16, I8, U8, BOOL,"
                + " F8_E4M3, F8_E5M2)", headerFails("{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'w' has no shape", headerFails("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'w' has a negative dimension in shape [2, -2]",
                headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-2],\"data_offsets\":[0,16]}}", 16));
        assertEquals("tensor 'w' has a shape that is not a list of integers: [1.5]",
                headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'w' has a data_offsets that is not 2 integers: [0]",
                headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4));
        assertEquals("tensor 'w' has data_offsets [8, 4] that end before they begin",
                headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8));
        assertEquals("tensor 'w' has data_offsets [0, 400] beyond the 8 data bytes after the header",
                headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[0,400]}}", 8));
        assertEquals("tensor 'w' has data_offsets [0, 8] holding 8 bytes, but shape [3] of F32 needs 12",
                headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 12));
        assertEquals("tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' (data_offsets [0, 8])",
                headerFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12));
    }

    @Test
    void nonFloatTensorsAreReportedByNameAndRefusedAsFloats() throws Exception {
        Path p = file("ints.safetensors", "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(DType.I64, f.info("ids").dtype());
            assertEquals(16, f.raw("ids").remaining());
            NotebenchException e = assertThrows(NotebenchException.class, () -> f.f32("ids"));
            assertEquals("tensor 'ids' of " + p + " is I64, not a float type; read its bytes with raw(\"ids\") instead",
                    e.getMessage());
            NotebenchException missing = assertThrows(NotebenchException.class, () -> f.info("nope"));
            assertEquals(ErrorCode.DATA_NOT_FOUND, missing.code());
            assertEquals("safetensors file " + p + " has no tensor 'nope'; its tensors are listed by names()", missing.getMessage());
        }
    }

    @Test
    void tensorLyingPastTwoGibibytesReadsFromASparseFile() throws Exception {
        long gap = (1L << 31) + 12345;
        String json = "{\"filler\":{\"dtype\":\"U8\",\"shape\":[" + gap + "],\"data_offsets\":[0," + gap + "]},"
                + "\"far\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + gap + "," + (gap + 16) + "]}}";
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        Path p = dir.resolve("big.safetensors");
        long dataStart = 8 + h.length;
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(dataStart + gap + 16);
            FileChannel ch = raf.getChannel();
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, h.length), 0);
            ch.write(ByteBuffer.wrap(h), 8);
            ByteBuffer values = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            values.putFloat(1.5f).putFloat(-2.25f).putFloat(1e-3f).putFloat(65536f).flip();
            ch.write(values, dataStart + gap);
        }
        try (SafetensorsReader f = SafetensorsReader.open(p)) {
            assertEquals(dataStart + gap + 16, Files.size(p));
            assertArrayEquals(new float[] {1.5f, -2.25f, 1e-3f, 65536f}, f.toFloatArray("far"));
            ByteBuffer middle = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(2, f.readF32("far", 1, middle));
            assertEquals(-2.25f, middle.getFloat(0));
            assertEquals(1e-3f, middle.getFloat(4));
            ByteBuffer rest = ByteBuffer.allocate(64);
            assertEquals(0, f.readF32("far", 4, rest));
            assertEquals(0, rest.limit());
            assertThrows(IllegalArgumentException.class, () -> f.readF32("far", 5, rest.clear()));
            assertEquals("tensor 'filler' of " + p + " is U8, not a float type; read its bytes with raw(\"filler\") instead",
                    assertThrows(NotebenchException.class, () -> f.readF32("filler", 0, rest.clear())).getMessage());
            NotebenchException e = assertThrows(NotebenchException.class, () -> f.raw("filler"));
            assertEquals("tensor 'filler' of " + p + " has " + gap + " bytes, more than one buffer can hold (2 GiB); it cannot be"
                    + " read as one array", e.getMessage());
        }
    }

    @Test
    void aCopyOnWriteMappingReadsTheFileAndKeepsWritesToItself() throws Exception {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("w", TensorData.of(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3));
        tensors.put("ids", TensorData.of(new float[] {7f}, 1));
        Path p = dir.resolve("cow.safetensors");
        SafetensorsWriter.builder().build().writeFile(p, tensors);
        byte[] file = Files.readAllBytes(p);
        try (SafetensorsReader f = SafetensorsReader.open(p)) {
            ByteBuffer w = f.mapCopyOnWrite("w").orElseThrow();
            assertEquals(24, w.remaining());
            assertEquals(ByteOrder.LITTLE_ENDIAN, w.order());
            assertEquals(2f, w.getFloat(4));
            w.putFloat(4, -9f);
            assertEquals(-9f, w.getFloat(4), "the mapping is writable");
            assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, f.toFloatArray("w"), "the file is not");
        }
        assertArrayEquals(file, Files.readAllBytes(p));
        Path half = dir.resolve("half.safetensors");
        SafetensorsWriter.builder().dtype(DType.BF16).build().writeFile(half, tensors);
        try (SafetensorsReader f = SafetensorsReader.open(half)) {
            assertEquals(java.util.Optional.empty(), f.mapCopyOnWrite("w"), "BF16 is converted, not mapped");
        }
    }

    @Test
    void shapeCheckListsMissingUnexpectedAndMismatchedTensorsInOneError() throws Exception {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (String name : new String[] {"a", "b", "c", "x1", "x2", "x3", "x4", "x5", "x6", "x7"}) {
            tensors.put(name, TensorData.of(new float[6], 2, 3));
        }
        Path p = dir.resolve("m.safetensors");
        SafetensorsWriter.builder().build().writeFile(p, tensors);
        try (SafetensorsReader f = SafetensorsReader.open(p)) {
            f.requireShapes(Map.of("a", new long[] {2, 3}, "b", new long[] {2, 3}, "c", new long[] {2, 3}, "x1", new long[] {2, 3},
                    "x2", new long[] {2, 3}, "x3", new long[] {2, 3}, "x4", new long[] {2, 3}, "x5", new long[] {2, 3},
                    "x6", new long[] {2, 3}, "x7", new long[] {2, 3}));
            NotebenchException e = assertThrows(NotebenchException.class, () -> f.requireShapes(Map.of(
                    "a", new long[] {3, 2}, "b", new long[] {2, 3}, "missing.weight", new long[] {4})));
            assertEquals(ErrorCode.DATA_INVALID, e.code());
            assertEquals("safetensors file " + p + " does not match the model: 1 missing (missing.weight); 8 unexpected (c, x1,"
                    + " x2, x3, x4, and 3 more); 1 shape mismatch (a is [2, 3], expected [3, 2]); check that config.json belongs"
                    + " to these weights", e.getMessage());
        }
    }

    @Test
    void shardedIndexWithMissingShardOrTensorInTwoShardsIsOneError() throws Exception {
        SafetensorsWriter w = SafetensorsWriter.builder().build();
        w.writeFile(dir.resolve("s1.safetensors"), Map.of("a", TensorData.of(new float[] {1}, 1)));
        w.writeFile(dir.resolve("s2.safetensors"), Map.of("a", TensorData.of(new float[] {2}, 1), "b",
                TensorData.of(new float[] {3}, 1)));
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"s3.safetensors\"}}");
        NotebenchException missing = assertThrows(NotebenchException.class, () -> SafetensorsReader.open(dir));
        assertEquals(ErrorCode.DATA_NOT_FOUND, missing.code());
        assertEquals("sharded checkpoint " + index + " names shard s3.safetensors, which is not in " + dir
                + "; download or save the checkpoint again", missing.getMessage());
        Files.writeString(index, "{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"s2.safetensors\"}}");
        NotebenchException twice = assertThrows(NotebenchException.class, () -> SafetensorsReader.open(dir));
        assertEquals("cannot read sharded checkpoint " + index + ": tensor 'a' is in two shards, s1.safetensors and"
                + " s2.safetensors; download or save the checkpoint again", twice.getMessage());
        NotebenchException none = assertThrows(NotebenchException.class, () -> SafetensorsReader.open(dir.resolve("s1.safetensors")
                .getParent().resolve("nowhere")));
        assertEquals(ErrorCode.DATA_NOT_FOUND, none.code());
    }
}
