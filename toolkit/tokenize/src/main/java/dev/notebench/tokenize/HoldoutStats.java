package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How a tokenizer does on held-out text: coverage (the share of characters and of bytes it
 * encodes without the unknown token), the unknown-token and out-of-vocabulary word rates, tokens
 * per character and per word, the share of the vocabulary used, and its longest tokens.
 * Words are maximal runs of non-whitespace; a word is out of vocabulary when it has a character
 * the tokenizer cannot encode.
 *
 * @param lines held-out lines measured
 * @param characters code points
 * @param bytes UTF-8 bytes
 * @param words words
 * @param tokens tokens the text encoded to
 * @param unkTokens of which unknown
 * @param charCoverage share of characters encoded without the unknown token
 * @param byteCoverage share of bytes encoded without the unknown token
 * @param unkRate share of tokens that are the unknown token
 * @param oovWordRate share of words with a character the tokenizer cannot encode
 * @param tokensPerChar tokens per character
 * @param tokensPerWord tokens per word
 * @param vocabUsed distinct ids used
 * @param vocabShare share of the vocabulary used
 * @param longestTokens the longest tokens of the vocabulary (by characters), longest first
 */
public record HoldoutStats(long lines, long characters, long bytes, long words, long tokens, long unkTokens,
                           double charCoverage, double byteCoverage, double unkRate, double oovWordRate,
                           double tokensPerChar, double tokensPerWord, int vocabUsed, double vocabShare,
                           List<LongToken> longestTokens) {

    /**
     * One of the longest tokens.
     *
     * @param id its id
     * @param text the text it stands for
     * @param chars its length in characters
     */
    public record LongToken(int id, String text, int chars) {
    }

    /** Copies the list. */
    public HoldoutStats {
        longestTokens = List.copyOf(longestTokens);
    }

    /**
     * Measures a tokenizer on held-out lines.
     *
     * @param tokenizer the tokenizer
     * @param holdout the held-out lines
     * @param longest how many of the longest tokens to list
     * @return the statistics
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} when there is no held-out text
     */
    public static HoldoutStats compute(Tokenizer tokenizer, List<String> holdout, int longest) {
        long chars = 0;
        long bytes = 0;
        for (String line : holdout) {
            chars += line.codePointCount(0, line.length());
            bytes += line.getBytes(StandardCharsets.UTF_8).length;
        }
        if (chars == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID,
                    "there is no held-out text to measure; train with a holdout, e.g. --holdout 0.05");
        }
        OptionalInt unk = tokenizer.unkId();
        Map<Integer, Boolean> covered = new HashMap<>();
        long uncoveredChars = 0;
        long uncoveredBytes = 0;
        long words = 0;
        long oovWords = 0;
        long tokens = 0;
        long unkTokens = 0;
        BitSet used = new BitSet(tokenizer.vocabSize());
        int[][] encoded = tokenizer.encodeBatch(holdout);
        for (int k = 0; k < holdout.size(); k++) {
            String line = holdout.get(k);
            boolean inWord = false;
            boolean wordOov = false;
            for (int i = 0; i < line.length(); ) {
                int cp = line.codePointAt(i);
                i += Character.charCount(cp);
                boolean space = isWhiteSpace(cp);
                if (!space && !inWord) {
                    words++;
                    inWord = true;
                    wordOov = false;
                } else if (space && inWord) {
                    oovWords += wordOov ? 1 : 0;
                    inWord = false;
                }
                boolean ok = unk.isEmpty() || covered.computeIfAbsent(cp, c -> {
                    for (int id : tokenizer.encode(Character.toString(c))) {
                        if (id == unk.getAsInt()) {
                            return false;
                        }
                    }
                    return true;
                });
                if (!ok) {
                    uncoveredChars++;
                    uncoveredBytes += Character.toString(cp).getBytes(StandardCharsets.UTF_8).length;
                    wordOov |= !space;
                }
            }
            if (inWord && wordOov) {
                oovWords++;
            }
            int[] ids = encoded[k];
            tokens += ids.length;
            for (int id : ids) {
                used.set(id);
                if (unk.isPresent() && id == unk.getAsInt()) {
                    unkTokens++;
                }
            }
        }
        return new HoldoutStats(holdout.size(), chars, bytes, words, tokens, unkTokens,
                1 - (double) uncoveredChars / chars, 1 - (double) uncoveredBytes / bytes,
                tokens == 0 ? 0 : (double) unkTokens / tokens, words == 0 ? 0 : (double) oovWords / words,
                (double) tokens / chars, words == 0 ? 0 : (double) tokens / words,
                used.cardinality(), (double) used.cardinality() / tokenizer.vocabSize(), longestTokens(tokenizer, longest));
    }

    static List<LongToken> longestTokens(Tokenizer tokenizer, int n) {
        List<LongToken> all = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            String text = tokenizer.tokenText(id);
            if (text != null && !tokenizer.isSpecial(id) && !(tokenizer.unkId().isPresent() && tokenizer.unkId().getAsInt() == id)) {
                all.add(new LongToken(id, text, text.codePointCount(0, text.length())));
            }
        }
        all.sort((a, b) -> a.chars() != b.chars() ? Integer.compare(b.chars(), a.chars()) : Integer.compare(a.id(), b.id()));
        return all.subList(0, Math.min(n, all.size()));
    }

    private static boolean isWhiteSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /** Returns the statistics as a two-column table (statistic, value) for notebooks. */
    public Table table() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("held-out lines", (double) lines);
        m.put("characters", (double) characters);
        m.put("bytes", (double) bytes);
        m.put("words", (double) words);
        m.put("tokens", (double) tokens);
        m.put("character coverage", charCoverage);
        m.put("byte coverage", byteCoverage);
        m.put("unknown-token rate", unkRate);
        m.put("out-of-vocabulary word rate", oovWordRate);
        m.put("tokens per character", tokensPerChar);
        m.put("tokens per word", tokensPerWord);
        m.put("vocabulary used", (double) vocabUsed);
        m.put("share of vocabulary used", vocabShare);
        return Table.create("holdout statistics",
                StringColumn.create("statistic", m.keySet()),
                DoubleColumn.create("value", m.values().stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /** Returns the longest tokens as a table (id, token, characters), with whitespace made visible. */
    public Table longestTokensTable() {
        IntColumn ids = IntColumn.create("id");
        StringColumn text = StringColumn.create("token");
        IntColumn len = IntColumn.create("characters");
        for (LongToken t : longestTokens) {
            ids.append(t.id());
            text.append(visible(t.text()));
            len.append(t.chars());
        }
        return Table.create("longest tokens", ids, text, len);
    }

    /** Returns the statistics as a map, for manifests. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lines", lines);
        m.put("characters", characters);
        m.put("bytes", bytes);
        m.put("words", words);
        m.put("tokens", tokens);
        m.put("unk_tokens", unkTokens);
        m.put("char_coverage", charCoverage);
        m.put("byte_coverage", byteCoverage);
        m.put("unk_rate", unkRate);
        m.put("oov_word_rate", oovWordRate);
        m.put("tokens_per_char", tokensPerChar);
        m.put("tokens_per_word", tokensPerWord);
        m.put("vocab_used", vocabUsed);
        m.put("vocab_share", vocabShare);
        List<Map<String, Object>> lt = new ArrayList<>();
        for (LongToken t : longestTokens) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", t.id());
            e.put("token", t.text());
            e.put("chars", t.chars());
            lt.add(e);
        }
        m.put("longest_tokens", lt);
        return m;
    }

    /** Shows spaces as ␣ and control characters as escapes. */
    static String visible(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case ' ' -> out.append('␣');
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (cp < 0x20) {
                        out.append(String.format("\\x%02x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.toString();
    }
}
