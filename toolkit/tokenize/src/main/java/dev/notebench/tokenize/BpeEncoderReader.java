package dev.notebench.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.notebench.tokenize.internal.ByteLevel;
import dev.notebench.tokenize.internal.ByteLevelBpe;
import dev.notebench.tokenize.internal.BytesIntMap;
import dev.notebench.tokenize.internal.MergeTable;
import dev.notebench.tokenize.internal.PieceSplitter;
import dev.notebench.tokenize.internal.TextNormalizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a byte-level BPE {@code tokenizer.json} into a {@link BpeEncoder}, or says which of its
 * components the Java encoder does not compute exactly as Hugging Face does.
 */
final class BpeEncoderReader {
    /** A component this encoder does not compute; its message names it. */
    static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private BpeEncoderReader() {
    }

    static BpeEncoder read(JsonObject json, boolean addSpecialTokens) throws Unsupported {
        JsonObject model = object(json, "model");
        if (model == null || !"BPE".equals(string(model, "type"))) {
            throw new Unsupported("the model is " + (model == null ? "missing" : string(model, "type")) + ", not BPE");
        }
        if (!isNull(model, "dropout") && model.get("dropout").getAsDouble() != 0) {
            throw new Unsupported("the BPE model has dropout");
        }
        if (bool(model, "byte_fallback", false)) {
            throw new Unsupported("the BPE model has byte_fallback");
        }
        for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            if (!isNull(model, affix) && !model.get(affix).getAsString().isEmpty()) {
                throw new Unsupported("the BPE model has a " + affix);
            }
        }
        JsonObject vocab = object(model, "vocab");
        if (vocab == null) {
            throw new Unsupported("the BPE model has no vocab");
        }
        int size = 0;
        Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
        for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
            int id = e.getValue().getAsInt();
            ids.put(e.getKey(), id);
            size = Math.max(size, id + 1);
        }
        JsonArray added = json.has("added_tokens") && json.get("added_tokens").isJsonArray()
                ? json.getAsJsonArray("added_tokens") : new JsonArray();
        for (JsonElement a : added) {
            size = Math.max(size, a.getAsJsonObject().get("id").getAsInt() + 1);
        }
        String[] tokens = new String[size];
        ids.forEach((t, id) -> tokens[id] = t);

        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(String.valueOf(ByteLevel.charOf(b)));
            if (id == null) {
                throw new Unsupported(String.format("the vocabulary has no token for byte 0x%02X", b));
            }
            byteIds[b] = id;
        }
        JsonArray merges = model.has("merges") && model.get("merges").isJsonArray() ? model.getAsJsonArray("merges") : new JsonArray();
        int[] lefts = new int[merges.size()];
        int[] rights = new int[merges.size()];
        int[] merged = new int[merges.size()];
        for (int r = 0; r < merges.size(); r++) {
            JsonElement m = merges.get(r);
            String left;
            String right;
            if (m.isJsonArray() && m.getAsJsonArray().size() == 2) {
                left = m.getAsJsonArray().get(0).getAsString();
                right = m.getAsJsonArray().get(1).getAsString();
            } else if (m.isJsonPrimitive() && m.getAsString().indexOf(' ') > 0) {
                String s = m.getAsString();
                left = s.substring(0, s.indexOf(' '));
                right = s.substring(s.indexOf(' ') + 1);
            } else {
                throw new Unsupported("merge " + r + " is neither \"a b\" nor [a, b]");
            }
            Integer l = ids.get(left);
            Integer rt = ids.get(right);
            Integer both = ids.get(left + right);
            if (l == null || rt == null || both == null) {
                throw new Unsupported("merge " + r + " (" + left + " " + right + ") names a token not in the vocabulary");
            }
            lefts[r] = l;
            rights[r] = rt;
            merged[r] = both;
        }
        BytesIntMap whole = null;
        if (bool(model, "ignore_merges", false)) {
            whole = new BytesIntMap(ids.size());
            for (int id = 0; id < tokens.length; id++) {
                byte[] b = tokens[id] == null ? null : ByteLevel.decode(tokens[id]);
                if (b != null) {
                    whole.putIfAbsent(b, id);
                }
            }
        }
        MergeTable table = new MergeTable(byteIds, lefts, rights, merged, whole);

        TextNormalizer normalizer = normalizer(json.get("normalizer"));
        Map<String, Integer> raw = new LinkedHashMap<>();
        Map<String, Integer> normalized = new LinkedHashMap<>();
        BitSet special = new BitSet();
        for (JsonElement a : added) {
            JsonObject o = a.getAsJsonObject();
            String content = o.get("content").getAsString();
            int id = o.get("id").getAsInt();
            for (String flag : List.of("single_word", "lstrip", "rstrip")) {
                if (bool(o, flag, false)) {
                    throw new Unsupported("the added token " + content + " has " + flag);
                }
            }
            (bool(o, "normalized", !bool(o, "special", false)) ? normalized : raw).put(content, id);
            if (bool(o, "special", false)) {
                special.set(id);
            }
            tokens[id] = content;
        }

        JsonObject pre = object(json, "pre_tokenizer");
        if (pre == null) {
            throw new Unsupported("there is no pre_tokenizer (a byte-level BPE needs ByteLevel)");
        }
        PieceSplitter splitter;
        boolean prefixSpace;
        List<JsonObject> steps = new ArrayList<>();
        if ("Sequence".equals(string(pre, "type"))) {
            for (JsonElement e : pre.getAsJsonArray("pretokenizers")) {
                steps.add(e.getAsJsonObject());
            }
        } else {
            steps.add(pre);
        }
        JsonObject last = steps.get(steps.size() - 1);
        if (!"ByteLevel".equals(string(last, "type"))) {
            throw new Unsupported("the pre_tokenizer does not end with ByteLevel");
        }
        prefixSpace = bool(last, "add_prefix_space", true);
        boolean regex = bool(last, "use_regex", true);
        if (steps.size() == 1) {
            splitter = regex ? PieceSplitter.GPT2 : PieceSplitter.WHOLE;
        } else if (steps.size() == 2 && "Split".equals(string(steps.get(0), "type")) && !regex && !prefixSpace) {
            splitter = split(steps.get(0));
        } else {
            throw new Unsupported("the pre_tokenizer " + pre.get("type") + " is not ByteLevel, nor a Split then ByteLevel"
                    + " without its regex and prefix space");
        }

        int[][] around = addSpecialTokens ? template(json.get("post_processor")) : new int[][] {new int[0], new int[0]};
        JsonObject decoder = object(json, "decoder");
        if (decoder == null || !"ByteLevel".equals(string(decoder, "type"))) {
            throw new Unsupported("the decoder is not ByteLevel");
        }
        ByteLevelBpe pipeline = new ByteLevelBpe(table, splitter, prefixSpace, normalizer, raw, normalized, around[0], around[1]);
        Integer unk = isNull(model, "unk_token") ? null : ids.get(model.get("unk_token").getAsString());
        return new BpeEncoder(pipeline, tokens, special, unk, addSpecialTokens);
    }

    private static PieceSplitter split(JsonObject split) throws Unsupported {
        JsonObject pattern = object(split, "pattern");
        if (pattern == null || !pattern.has("Regex")) {
            throw new Unsupported("the Split pre-tokenizer's pattern is not a Regex");
        }
        if (!"Isolated".equals(string(split, "behavior")) || bool(split, "invert", false)) {
            throw new Unsupported("the Split pre-tokenizer's behavior is " + string(split, "behavior")
                    + (bool(split, "invert", false) ? " inverted" : "") + ", not Isolated");
        }
        try {
            return PieceSplitter.of(pattern.get("Regex").getAsString());
        } catch (PatternSyntaxException e) {
            throw new Unsupported("Java cannot compile the Split pattern: " + e.getDescription());
        }
    }

    private static TextNormalizer normalizer(JsonElement n) throws Unsupported {
        if (n == null || n.isJsonNull()) {
            return null;
        }
        List<TextNormalizer.Step> steps = new ArrayList<>();
        addSteps(n.getAsJsonObject(), steps);
        return steps.isEmpty() ? null : new TextNormalizer(steps);
    }

    private static void addSteps(JsonObject n, List<TextNormalizer.Step> steps) throws Unsupported {
        String type = string(n, "type");
        switch (type == null ? "" : type) {
            case "Sequence" -> {
                for (JsonElement e : n.getAsJsonArray("normalizers")) {
                    addSteps(e.getAsJsonObject(), steps);
                }
            }
            case "NFC", "NFD", "NFKC", "NFKD" -> steps.add(TextNormalizer.Step.valueOf(type));
            case "Lowercase" -> steps.add(TextNormalizer.Step.LOWERCASE);
            default -> throw new Unsupported("the normalizer " + type + " is not NFC, NFD, NFKC, NFKD or Lowercase");
        }
    }

    /** The post-processor's ids before and after a single text. */
    private static int[][] template(JsonElement p) throws Unsupported {
        List<Integer> before = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        if (p != null && !p.isJsonNull()) {
            addTemplate(p.getAsJsonObject(), before, after);
        }
        return new int[][] {before.stream().mapToInt(Integer::intValue).toArray(), after.stream().mapToInt(Integer::intValue).toArray()};
    }

    private static void addTemplate(JsonObject p, List<Integer> before, List<Integer> after) throws Unsupported {
        String type = string(p, "type");
        switch (type == null ? "" : type) {
            case "ByteLevel" -> {
            }
            case "Sequence" -> {
                for (JsonElement e : p.getAsJsonArray("processors")) {
                    addTemplate(e.getAsJsonObject(), before, after);
                }
            }
            case "TemplateProcessing" -> {
                JsonObject specials = object(p, "special_tokens");
                boolean seenA = false;
                for (JsonElement e : p.getAsJsonArray("single")) {
                    JsonObject item = e.getAsJsonObject();
                    if (item.has("Sequence")) {
                        if (seenA || !"A".equals(item.getAsJsonObject("Sequence").get("id").getAsString())) {
                            throw new Unsupported("the TemplateProcessing single template is not one $A with special tokens");
                        }
                        seenA = true;
                    } else if (item.has("SpecialToken")) {
                        String id = item.getAsJsonObject("SpecialToken").get("id").getAsString();
                        JsonObject s = specials == null ? null : object(specials, id);
                        if (s == null) {
                            throw new Unsupported("the TemplateProcessing special token " + id + " has no ids");
                        }
                        for (JsonElement i : s.getAsJsonArray("ids")) {
                            (seenA ? after : before).add(i.getAsInt());
                        }
                    } else {
                        throw new Unsupported("the TemplateProcessing single template has an item of another kind");
                    }
                }
                if (!seenA) {
                    throw new Unsupported("the TemplateProcessing single template has no $A");
                }
            }
            default -> throw new Unsupported("the post_processor " + type + " adds special tokens this encoder does not");
        }
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    private static boolean isNull(JsonObject o, String key) {
        return !o.has(key) || o.get(key).isJsonNull();
    }

    private static boolean bool(JsonObject o, String key, boolean absent) {
        return isNull(o, key) ? absent : o.get(key).getAsBoolean();
    }
}
