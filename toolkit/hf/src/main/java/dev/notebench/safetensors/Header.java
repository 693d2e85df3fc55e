package dev.notebench.safetensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A parsed and checked safetensors header: the format's one reader of the header bytes. */
final class Header {
    /** The longest header accepted, as Hugging Face's reader limits it. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA = "__metadata__";

    final Map<String, String> metadata;
    final Map<String, TensorInfo> tensors;
    /** Where the data section starts in the file: 8 plus the header's length. */
    final long dataStart;

    private Header(Map<String, String> metadata, Map<String, TensorInfo> tensors, long dataStart) {
        this.metadata = metadata;
        this.tensors = tensors;
        this.dataStart = dataStart;
    }

    /** Reads the 8-byte little-endian length that starts the file, checked against the file's size. */
    static long headerLength(Path file, ByteBuffer first8, long fileSize) {
        if (fileSize < 8) {
            throw invalid(file, "it is " + fileSize + " bytes long, shorter than the 8-byte header length");
        }
        long n = first8.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw invalid(file, "its header length " + Long.toUnsignedString(n) + " is over the " + MAX_HEADER_BYTES
                    + "-byte limit");
        }
        if (n > fileSize - 8) {
            throw invalid(file, "its header length " + n + " runs past the end of the file (" + fileSize + " bytes)");
        }
        return n;
    }

    /** Parses and checks the header JSON against the size of the data section that follows it. */
    static Header parse(Path file, byte[] json, long fileSize) {
        long dataStart = 8L + json.length;
        long dataSize = fileSize - dataStart;
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw invalid(file, "its header is not JSON (" + rootCause(e) + ")");
        }
        if (!root.isJsonObject()) {
            throw invalid(file, "its header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            if (e.getKey().equals(METADATA)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), dataSize));
            }
        }
        checkOverlaps(file, tensors.values());
        return new Header(Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(tensors), dataStart);
    }

    private static void readMetadata(Path file, JsonElement value, Map<String, String> out) {
        if (!value.isJsonObject()) {
            throw invalid(file, "its " + METADATA + " is not an object of strings");
        }
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            if (!(m.getValue().isJsonPrimitive() && m.getValue().getAsJsonPrimitive().isString())) {
                throw invalid(file, "its " + METADATA + " is not an object of strings ('" + m.getKey() + "' is "
                        + m.getValue() + ")");
            }
            out.put(m.getKey(), m.getValue().getAsString());
        }
    }

    private static TensorInfo tensor(Path file, String name, JsonElement value, long dataSize) {
        if (!value.isJsonObject()) {
            throw invalidTensor(file, name, "is not an object with dtype, shape and data_offsets");
        }
        JsonObject o = value.getAsJsonObject();
        String dtypeName = field(file, name, o, "dtype").isJsonPrimitive() ? o.get("dtype").getAsString() : o.get("dtype").toString();
        DType dtype = DType.byName(dtypeName).orElseThrow(() -> invalidTensor(file, name, "has unknown dtype '" + dtypeName
                + "' (known: " + Arrays.toString(DType.values()).replaceAll("[\\[\\]]", "") + ")"));
        long[] shape = integers(file, name, field(file, name, o, "shape"), "shape", -1);
        for (long d : shape) {
            if (d < 0) {
                throw invalidTensor(file, name, "has a negative dimension in shape " + Arrays.toString(shape));
            }
        }
        long[] offsets = integers(file, name, field(file, name, o, "data_offsets"), "data_offsets", 2);
        String offsetsText = Arrays.toString(offsets);
        if (offsets[0] < 0 || offsets[1] < offsets[0]) {
            throw invalidTensor(file, name, "has data_offsets " + offsetsText + " that end before they begin");
        }
        if (offsets[1] > dataSize) {
            throw invalidTensor(file, name, "has data_offsets " + offsetsText + " beyond the " + dataSize
                    + " data bytes after the header");
        }
        BigInteger needed = BigInteger.valueOf(dtype.byteSize());
        for (long d : shape) {
            needed = needed.multiply(BigInteger.valueOf(d));
        }
        long holds = offsets[1] - offsets[0];
        if (!needed.equals(BigInteger.valueOf(holds))) {
            throw invalidTensor(file, name, "has data_offsets " + offsetsText + " holding " + holds + " bytes, but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + needed);
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static JsonElement field(Path file, String name, JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (v == null || v.isJsonNull()) {
            throw invalidTensor(file, name, "has no " + key);
        }
        return v;
    }

    private static long[] integers(Path file, String name, JsonElement value, String key, int count) {
        String expected = count < 0 ? "a list of integers" : count + " integers";
        if (!value.isJsonArray() || (count >= 0 && value.getAsJsonArray().size() != count)) {
            throw invalidTensor(file, name, "has a " + key + " that is not " + expected + ": " + value);
        }
        JsonArray a = value.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement e = a.get(i);
            Long v = e.isJsonPrimitive() ? exactLong(e.getAsJsonPrimitive()) : null;
            if (v == null) {
                throw invalidTensor(file, name, "has a " + key + " that is not " + expected + ": " + value);
            }
            out[i] = v;
        }
        return out;
    }

    private static Long exactLong(JsonPrimitive p) {
        if (!p.isNumber()) {
            return null;
        }
        try {
            return new BigDecimal(p.getAsString()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static void checkOverlaps(Path file, java.util.Collection<TensorInfo> all) {
        List<TensorInfo> byBegin = new ArrayList<>(all);
        byBegin.removeIf(t -> t.byteSize() == 0);
        byBegin.sort(Comparator.comparingLong(TensorInfo::begin).thenComparing(TensorInfo::name));
        for (int i = 1; i < byBegin.size(); i++) {
            TensorInfo prev = byBegin.get(i - 1);
            TensorInfo t = byBegin.get(i);
            if (t.begin() < prev.end()) {
                throw invalidTensor(file, t.name(), "(data_offsets [" + t.begin() + ", " + t.end() + "]) overlaps tensor '"
                        + prev.name() + "' (data_offsets [" + prev.begin() + ", " + prev.end() + "])");
            }
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        // Gson appends a troubleshooting link on a second line; the first says where the JSON breaks
        String m = String.valueOf(t.getMessage());
        return m.lines().findFirst().orElse(m);
    }

    static NotebenchException invalidTensor(Path file, String name, String problem) {
        return invalid(file, "tensor '" + name + "' " + problem);
    }

    static NotebenchException invalid(Path file, String problem) {
        return new NotebenchException(ErrorCode.DATA_INVALID, "cannot read safetensors file " + file + ": " + problem
                + "; the file is damaged or not safetensors: download or save it again");
    }
}
