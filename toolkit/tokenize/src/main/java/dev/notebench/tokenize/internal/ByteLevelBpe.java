package dev.notebench.tokenize.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Byte-level BPE encoding as Hugging Face's pipeline runs it: added tokens that match the raw
 * text are cut out first, the rest is normalized, added tokens that match normalized text are cut
 * out, each remaining part is split into pieces (with a leading space first if asked), each piece's
 * UTF-8 bytes are merged, and the post-processor's tokens go around the result. Immutable tables
 * and a piece cache per thread: safe for concurrent calls.
 */
public final class ByteLevelBpe {
    private final MergeTable table;
    private final PieceSplitter splitter;
    private final boolean addPrefixSpace;
    private final TextNormalizer normalizer;
    private final AddedTokens raw;
    private final AddedTokens normalized;
    private final int[] prefix;
    private final int[] suffix;
    private final ThreadLocal<Scratch> scratch;

    /**
     * A pipeline.
     *
     * @param table the merges
     * @param splitter the pre-tokenizer's split
     * @param addPrefixSpace whether a part that does not start with a space gets one (ByteLevel's
     *     {@code add_prefix_space})
     * @param normalizer the normalizer, or {@code null}
     * @param rawTokens added tokens matched in the raw text (content to id)
     * @param normalizedTokens added tokens matched in normalized text
     * @param prefix ids before every text (the post-processor's BOS), maybe empty
     * @param suffix ids after every text, maybe empty
     */
    public ByteLevelBpe(MergeTable table, PieceSplitter splitter, boolean addPrefixSpace, TextNormalizer normalizer,
                        Map<String, Integer> rawTokens, Map<String, Integer> normalizedTokens, int[] prefix, int[] suffix) {
        this.table = table;
        this.splitter = splitter;
        this.addPrefixSpace = addPrefixSpace;
        this.normalizer = normalizer;
        this.raw = rawTokens.isEmpty() ? null : new AddedTokens(rawTokens);
        this.normalized = normalizedTokens.isEmpty() ? null : new AddedTokens(normalizedTokens);
        this.prefix = prefix.clone();
        this.suffix = suffix.clone();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(table));
    }

    /**
     * Encodes one text.
     *
     * @param text the text
     * @return its ids
     */
    public int[] encode(String text) {
        Scratch s = scratch.get();
        s.out.size = 0;
        for (int id : prefix) {
            s.out.add(id);
        }
        if (raw == null) {
            normalizeAndSplit(text, s);
        } else {
            raw.split(text, new AddedTokens.Visitor() {
                @Override
                public void text(String t, int from, int to) {
                    normalizeAndSplit(t.substring(from, to), s);
                }

                @Override
                public void token(int id) {
                    s.out.add(id);
                }
            });
        }
        for (int id : suffix) {
            s.out.add(id);
        }
        return s.out.toArray();
    }

    private void normalizeAndSplit(String part, Scratch s) {
        String t = normalizer == null ? part : normalizer.apply(part);
        if (normalized == null) {
            pieces(t, s);
            return;
        }
        normalized.split(t, new AddedTokens.Visitor() {
            @Override
            public void text(String u, int from, int to) {
                pieces(u.substring(from, to), s);
            }

            @Override
            public void token(int id) {
                s.out.add(id);
            }
        });
    }

    private void pieces(String t, Scratch s) {
        if (t.isEmpty()) {
            return;
        }
        if (addPrefixSpace && t.charAt(0) != ' ') {
            t = " " + t;
        }
        byte[] b = t.getBytes(StandardCharsets.UTF_8);
        splitter.split(b, 0, b.length, s);
    }
}
