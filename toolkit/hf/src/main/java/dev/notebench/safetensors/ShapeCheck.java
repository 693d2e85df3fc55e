package dev.notebench.safetensors;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Compares the tensors a model expects with those a checkpoint holds, in one error. */
final class ShapeCheck {
    /** How many names of each kind an error lists before it says "and N more". */
    static final int LISTED = 5;

    private ShapeCheck() {
    }

    static void require(String what, Map<String, long[]> expected, SafetensorsReader reader) {
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, long[]> e : new TreeMap<>(expected).entrySet()) {
            if (!reader.contains(e.getKey())) {
                missing.add(e.getKey());
                continue;
            }
            TensorInfo t = reader.info(e.getKey());
            if (!Arrays.equals(t.shape(), e.getValue())) {
                mismatched.add(e.getKey() + " is " + t.shapeText() + ", expected " + Arrays.toString(e.getValue()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : reader.names()) {
            if (!expected.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        add(parts, "missing", missing);
        add(parts, "unexpected", unexpected);
        add(parts, "shape mismatch", mismatched);
        throw new NotebenchException(ErrorCode.DATA_INVALID, what + " does not match the model: " + String.join("; ", parts)
                + "; check that config.json belongs to these weights");
    }

    private static void add(List<String> parts, String kind, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        String listed = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
        parts.add(items.size() + " " + kind + " (" + listed + (items.size() > LISTED ? ", and " + (items.size() - LISTED)
                + " more" : "") + ")");
    }
}
