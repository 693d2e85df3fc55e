package dev.notebench.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.files.TextFiles;
import dev.notebench.tokenize.internal.ByteLevel;
import dev.notebench.tokenize.internal.NativeLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} (such as {@link BpeModel} writes) loaded into DJL's
 * {@code HuggingFaceTokenizer}, which encodes with HF's Rust code: ids are exactly those of HF
 * {@code tokenizers} and transformers. No special tokens are added, nothing is truncated or padded.
 */
public final class HfTokenizer implements Tokenizer {
    private final HuggingFaceTokenizer tokenizer;
    private final String[] tokens;
    private final boolean byteLevel;
    private final OptionalInt unk;
    private final java.util.BitSet special;
    private final boolean addSpecialTokens;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, String[] tokens, boolean byteLevel, OptionalInt unk,
                        java.util.BitSet special, boolean addSpecialTokens) {
        this.tokenizer = tokenizer;
        this.addSpecialTokens = addSpecialTokens;
        this.tokens = tokens;
        this.byteLevel = byteLevel;
        this.unk = unk;
        this.special = special;
    }

    /**
     * Loads a {@code tokenizer.json} that adds no special tokens (as Notebench's own tokenizers
     * are used: the training data has its own separators).
     *
     * @param file the file
     * @return the tokenizer; close it
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when missing,
     *     {@link ErrorCode#DATA_INVALID} when HF cannot load it
     */
    public static HfTokenizer load(Path file) {
        return load(file, false);
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @param file the file
     * @param addSpecialTokens whether encoding adds what the file's post-processor adds (a
     *     pretrained model's {@code <s>} or {@code <|begin_of_text|>}), as transformers' tokenizer
     *     does by default
     * @return the tokenizer; close it
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when missing,
     *     {@link ErrorCode#DATA_INVALID} when HF cannot load it
     */
    public static HfTokenizer load(Path file, boolean addSpecialTokens) {
        JsonObject json = readJson(file);
        JsonObject model = json.getAsJsonObject("model");
        JsonObject vocab = model == null ? null : model.getAsJsonObject("vocab");
        if (vocab == null) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " has no model.vocab; is it a Hugging Face tokenizer.json?");
        }
        JsonElement added = json.get("added_tokens");
        int size = 0;
        for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
            size = Math.max(size, e.getValue().getAsInt() + 1);
        }
        if (added != null && added.isJsonArray()) { // a pretrained model's special tokens may lie past the model's vocabulary
            for (JsonElement a : added.getAsJsonArray()) {
                size = Math.max(size, a.getAsJsonObject().get("id").getAsInt() + 1);
            }
        }
        String[] tokens = new String[size];
        for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
            tokens[e.getValue().getAsInt()] = e.getKey();
        }
        boolean byteLevel = byteLevel(json.get("pre_tokenizer")) || byteLevel(json.get("decoder"));
        JsonElement unkToken = model.get("unk_token");
        OptionalInt unk = OptionalInt.empty();
        if (unkToken != null && !unkToken.isJsonNull() && vocab.has(unkToken.getAsString())) {
            unk = OptionalInt.of(vocab.get(unkToken.getAsString()).getAsInt());
        }
        java.util.BitSet special = new java.util.BitSet();
        if (added != null && added.isJsonArray()) {
            for (JsonElement a : added.getAsJsonArray()) {
                JsonObject o = a.getAsJsonObject();
                tokens[o.get("id").getAsInt()] = o.get("content").getAsString();
                if (o.has("special") && o.get("special").getAsBoolean()) {
                    special.set(o.get("id").getAsInt());
                }
            }
        }
        NativeLibrary.HF_TOKENIZERS.require();
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", String.valueOf(addSpecialTokens), "truncation", "false", "padding", "false"));
            return new HfTokenizer(t, tokens, byteLevel, unk, special, addSpecialTokens);
        } catch (IOException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "Hugging Face tokenizers cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a tokenizer.json, with the errors a user can act on. */
    static JsonObject readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "tokenizer file " + file + " does not exist");
        }
        String text = TextFiles.readUtf8(file, "the tokenizer");
        if (text.isBlank()) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the tokenizer " + file + " is empty; give a tokenizer.json or the"
                    + " directory " + FrontEnd.command("tokenizer train") + " wrote");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(text).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not a tokenizer.json: " + e.getMessage(), e);
        }
        return json;
    }

    /** Whether a ByteLevel step (alone or in a Sequence) maps bytes to the vocabulary's characters. */
    private static boolean byteLevel(JsonElement step) {
        if (step == null || !step.isJsonObject()) {
            return false;
        }
        JsonObject o = step.getAsJsonObject();
        if (o.has("type") && "ByteLevel".equals(o.get("type").getAsString())) {
            return true;
        }
        for (String list : new String[] {"pretokenizers", "decoders"}) {
            if (o.has(list) && o.get(list).isJsonArray()) {
                for (JsonElement e : o.getAsJsonArray(list)) {
                    if (byteLevel(e)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether encoding adds the special tokens of the file's post-processor. */
    public boolean addsSpecialTokens() {
        return addSpecialTokens;
    }

    @Override
    public String kind() {
        return "bpe";
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public int[] encode(String text) {
        Encoding e = tokenizer.encode(text, addSpecialTokens, false);
        long[] ids = e.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /**
     * Encodes many texts in one native call.
     *
     * @param texts the texts
     * @return their ids, in order
     */
    @Override
    public int[][] encodeBatch(java.util.List<String> texts) {
        Encoding[] es = tokenizer.batchEncode(texts, addSpecialTokens, false);
        int[][] out = new int[es.length][];
        for (int k = 0; k < es.length; k++) {
            long[] ids = es[k].getIds();
            out[k] = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[k][i] = (int) ids[i];
            }
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, false);
    }

    @Override
    public String tokenText(int id) {
        String t = tokens[id];
        if (t == null || !byteLevel) {
            return t;
        }
        byte[] bytes = ByteLevel.decode(t);
        return bytes == null ? t : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean isSpecial(int id) {
        return special.get(id);
    }

    @Override
    public OptionalInt unkId() {
        return unk;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
