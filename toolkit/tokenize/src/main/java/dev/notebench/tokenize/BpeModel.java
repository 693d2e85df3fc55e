package dev.notebench.tokenize;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained byte-level BPE tokenizer: the vocabulary by id, the merges by rank and the special
 * tokens, written as the {@code tokenizer.json} Hugging Face's {@code ByteLevelBPETokenizer}
 * writes (ByteLevel pre-tokenizer, post-processor and decoder; the corpus normalization as its
 * normalizer), which DJL's {@code HuggingFaceTokenizer}, HF {@code tokenizers} and transformers
 * load unchanged.
 *
 * @param vocab the tokens, by id
 * @param merges the merges by rank, each a pair of tokens
 * @param specialTokens the special tokens (ids 0..n-1)
 * @param normalization the normalization the corpus had, applied again when encoding
 * @param lowercase whether the corpus was lowercased
 */
public record BpeModel(List<String> vocab, List<Merge> merges, List<String> specialTokens,
                       Normalization normalization, boolean lowercase) {

    /**
     * One merge: two tokens that become one.
     *
     * @param left the left token
     * @param right the right token
     */
    public record Merge(String left, String right) {
    }

    /** Copies the lists. */
    public BpeModel {
        vocab = List.copyOf(vocab);
        merges = List.copyOf(merges);
        specialTokens = List.copyOf(specialTokens);
        Objects.requireNonNull(normalization, "normalization");
    }

    /** Returns the vocabulary size. */
    public int vocabSize() {
        return vocab.size();
    }

    /** Returns the {@code tokenizer.json} text. */
    public String toTokenizerJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        List<Object> added = new ArrayList<>();
        for (int i = 0; i < specialTokens.size(); i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", vocab.indexOf(specialTokens.get(i)));
            t.put("content", specialTokens.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        root.put("added_tokens", added);
        root.put("normalizer", normalizer());
        root.put("pre_tokenizer", byteLevel(false, true));
        root.put("post_processor", byteLevel(true, false));
        root.put("decoder", byteLevel(true, true));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            ids.putIfAbsent(vocab.get(i), i);
        }
        model.put("vocab", ids);
        List<List<String>> pairs = new ArrayList<>(merges.size());
        for (Merge m : merges) {
            pairs.add(List.of(m.left(), m.right()));
        }
        model.put("merges", pairs);
        root.put("model", model);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(root);
    }

    /**
     * Writes {@code tokenizer.json}.
     *
     * @param file where
     * @throws IOException when it cannot be written
     */
    public void save(Path file) throws IOException {
        Files.writeString(file, toTokenizerJson(), StandardCharsets.UTF_8);
    }

    private Object normalizer() {
        List<Object> steps = new ArrayList<>();
        if (normalization != Normalization.NONE) {
            steps.add(Map.of("type", normalization.name()));
        }
        if (lowercase) {
            steps.add(Map.of("type", "Lowercase"));
        }
        if (steps.isEmpty()) {
            return null;
        }
        if (steps.size() == 1) {
            return steps.get(0);
        }
        Map<String, Object> seq = new LinkedHashMap<>();
        seq.put("type", "Sequence");
        seq.put("normalizers", steps);
        return seq;
    }

    private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", addPrefixSpace);
        m.put("trim_offsets", trimOffsets);
        m.put("use_regex", true);
        return m;
    }
}
