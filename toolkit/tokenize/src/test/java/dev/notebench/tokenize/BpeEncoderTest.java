package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java encoder against Hugging Face tokenizers 0.23.2 (Python): the same ids on the datasets'
 * corpora and on random Unicode, for GPT-2-style, LLaMA-3-style and Notebench's own files.
 */
class BpeEncoderTest {
    static final List<String> ADDED = List.of(" hello world", "Mr.");

    @TempDir
    static Path tmp;

    static Path gpt2;
    static Path gpt2Prefix;
    static Path llama3;
    static Path qwen2;

    @BeforeAll
    static void buildFiles() throws Exception {
        Path sotu = HfReference.home().resolve("datasets/sotu/sotu-sample.txt");
        gpt2 = HfReference.style(tmp.resolve("gpt2.json"), "gpt2", 3000, ADDED, sotu);
        llama3 = HfReference.style(tmp.resolve("llama3.json"), "llama3", 3000, ADDED, sotu);
        qwen2 = HfReference.style(tmp.resolve("qwen2.json"), "qwen2", 3000, ADDED, sotu);
        gpt2Prefix = HfReference.style(tmp.resolve("gpt2-prefix.json"), "gpt2-prefix", 3000, ADDED, sotu);
    }

    static Path file(String style) {
        return switch (style) {
            case "gpt2" -> gpt2;
            case "gpt2-prefix" -> gpt2Prefix;
            case "qwen2" -> qwen2;
            default -> llama3;
        };
    }

    /** Every corpus of datasets/, in chunks of 20 lines (so that runs of newlines meet the regex). */
    static List<String> corpora() throws Exception {
        List<String> texts = new ArrayList<>();
        for (String f : List.of("sotu/sotu-sample.txt", "spam/spamassassin-subjects.csv", "wordnet/imagenet-subtree.tsv",
                "wordnet/imagenet-subtree.json", "README.md")) {
            List<String> lines = Files.readAllLines(HfReference.home().resolve("datasets").resolve(f), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i += 20) {
                texts.add(String.join("\n", lines.subList(i, Math.min(lines.size(), i + 20))) + "\n");
            }
        }
        return texts;
    }

    /** Strings of letters, digit runs of 1-7, contractions in any case, CR/LF and space runs, marks, all planes. */
    static List<String> randomUnicode(int n, long seed) {
        Random r = new Random(seed);
        String[] atoms = {"'s", "'S", "'t", "'T", "'re", "'RE", "'Ve", "'m", "'LL", "'d", "'D", "'\u017F", "'x", "'",
            " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", "\r", " \n ", "\u00A0", "\u3000", "\u2028", "\u0085", "\u200B",
            "<|end_of_text|>", "<|endoftext|>", "<|begin_of_text|>", "Mr.", " hello world", "<|", "|>",
            "e\u0301", "\u0301", "\u0308\u0301", "Σ", "İ", "\uD83C\uDD6C", "\uD801\uDD70x", "\u32FF", "\uA7C0", "\u0870\u0871", "\u2C2F", "ǅ", "ß", "ﬁ", "①", "½", "٣", "Ⅻ", "😀", "🇺🇸", "𝔘𝔫𝔦", "\uD834\uDD1E",
            "日本語", "한국어", "עברית", "العربية", "हिन्दी", ".", ",", "!?", "...", "—", "$", "(", ")", "\"", "#", "@"};
        List<String> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            StringBuilder b = new StringBuilder();
            int parts = 1 + r.nextInt(12);
            for (int p = 0; p < parts; p++) {
                switch (r.nextInt(6)) {
                    case 0 -> b.append(atoms[r.nextInt(atoms.length)]);
                    case 1 -> {
                        int digits = 1 + r.nextInt(7);
                        for (int d = 0; d < digits; d++) {
                            b.append((char) ('0' + r.nextInt(10)));
                        }
                    }
                    case 2 -> {
                        int len = 1 + r.nextInt(8);
                        for (int c = 0; c < len; c++) {
                            b.append((char) ((r.nextBoolean() ? 'a' : 'A') + r.nextInt(26)));
                        }
                    }
                    case 3 -> b.appendCodePoint(codePoint(r, 0x80, 0x3000));
                    case 4 -> b.appendCodePoint(codePoint(r, 0x3000, 0x10000));
                    default -> b.appendCodePoint(codePoint(r, 0x10000, r.nextInt(10) == 0 ? 0x110000 : 0x30000));
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    /** Any code point but a surrogate (including those Java 17's Unicode 13 leaves unassigned). */
    private static int codePoint(Random r, int from, int to) {
        while (true) {
            int cp = from + r.nextInt(to - from);
            if (Character.getType(cp) != Character.SURROGATE) {
                return cp;
            }
        }
    }

    private static void assertSameIds(Path file, List<String> texts, boolean addSpecialTokens) throws Exception {
        List<int[]> hf = HfReference.encodeWith(file, texts, addSpecialTokens);
        BpeEncoder.Probe probe = BpeEncoder.probe(file, addSpecialTokens);
        assertEquals("", probe.unsupported());
        BpeEncoder ours = probe.encoder().orElseThrow();
        int[][] batch = ours.encodeBatch(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(hf.get(i), ours.encode(texts.get(i)), "ids of " + escape(texts.get(i)));
            assertArrayEquals(hf.get(i), batch[i], "batch ids of " + escape(texts.get(i)));
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7F ? Character.toString(c) : String.format("\\u{%X}", c)));
        return b.append('"').toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama3", "qwen2"})
    void idsAreHuggingFacesOnEveryCorpus(String style) throws Exception {
        assertSameIds(file(style), corpora(), false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "gpt2-prefix", "llama3", "qwen2"})
    void idsAreHuggingFacesOnTenThousandRandomUnicodeStrings(String style) throws Exception {
        assertSameIds(file(style), randomUnicode(10_000, 23), false);
    }

    @Test
    void llama3StyleAddsTheTemplatesBosLikeHuggingFace() throws Exception {
        assertSameIds(llama3, List.of("", "Hello", "<|begin_of_text|>Hi<|end_of_text|>"), true);
        int bos = BpeEncoder.probe(llama3, true).encoder().orElseThrow().encode("")[0];
        assertEquals("<|begin_of_text|>", BpeEncoder.probe(llama3, false).encoder().orElseThrow().tokenText(bos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "gpt2-prefix", "llama3"})
    void specialAndAddedTokensInsideTextAndEmptyText(String style) throws Exception {
        List<String> texts = List.of("", " ", "<|endoftext|>", "a<|endoftext|>b", "x<|end_of_text|><|reserved_special_token_3|>y",
                "say hello world, Mr. Smith", "<|endoftext|<|endoftext|>>", "Mr.Mr. hello worldhello world");
        assertSameIds(file(style), texts, false);
        BpeEncoder ours = BpeEncoder.probe(file(style), false).encoder().orElseThrow();
        assertArrayEquals(new int[0], ours.encode(""));
        int[] ids = ours.encode(style.startsWith("gpt2") ? "a<|endoftext|>b" : "a<|end_of_text|>b");
        assertEquals(3, ids.length); // with a prefix space, " a" and " b" are tokens of the vocabulary
        assertTrue(ours.isSpecial(ids[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama3"})
    void decodeGivesBackTheText(String style) throws Exception {
        BpeEncoder ours = BpeEncoder.probe(file(style), false).encoder().orElseThrow();
        for (String text : randomUnicode(2_000, 7)) {
            assertEquals(text, ours.decode(ours.encode(text)));
        }
    }

    @Test
    void notebenchsOwnFileWithNfkcAndLowercaseIsEncodedLikeHuggingFace() throws Exception {
        Path corpus = HfReference.home().resolve("datasets/sotu/sotu-sample.txt");
        BpeTraining t = BpeTrainer.builder(2000).specialTokens(List.of("<|endoftext|>")).build().train(Corpus.of(corpus.toString()));
        BpeModel lowered = new BpeModel(t.model().vocab(), t.model().merges(), t.model().specialTokens(), Normalization.NFKC, true);
        Path file = tmp.resolve("ours-nfkc-lower.json");
        lowered.save(file);
        List<String> texts = new ArrayList<>(corpora().subList(0, 200));
        texts.addAll(randomUnicode(2_000, 11));
        assertSameIds(file, texts, false);
        try (Tokenizer loaded = TokenizerArtifact.load(file)) {
            assertInstanceOf(BpeEncoder.class, loaded, "the artifact loader picks the Java encoder");
        }
    }

    @Test
    void aMetaspaceFileIsLeftToHuggingFacesTokenizerWithTheReason() throws Exception {
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(gpt2, StandardCharsets.UTF_8))
                .getAsJsonObject();
        json.add("pre_tokenizer", com.google.gson.JsonParser.parseString(
                "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"always\", \"split\": true}"));
        Path metaspace = tmp.resolve("metaspace.json");
        Files.writeString(metaspace, json.toString(), StandardCharsets.UTF_8);

        assertEquals("the pre_tokenizer does not end with ByteLevel", BpeEncoder.probe(metaspace, false).unsupported());
        try (Tokenizer t = BpeEncoder.load(metaspace, false)) {
            assertInstanceOf(HfTokenizer.class, t);
            List<String> texts = List.of("Hello world");
            assertArrayEquals(HfReference.encodeWith(metaspace, texts, false).get(0), t.encode(texts.get(0)));
        }
    }

    @Test
    void aWordPieceFileIsLeftToHuggingFacesTokenizerWithTheReason() throws Exception {
        Path wordPiece = tmp.resolve("wordpiece.json");
        Files.writeString(wordPiece, "{\"version\": \"1.0\", \"added_tokens\": [], \"normalizer\": null,"
                + " \"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"post_processor\": null, \"decoder\": null,"
                + " \"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"continuing_subword_prefix\": \"##\","
                + " \"max_input_chars_per_word\": 100, \"vocab\": {\"[UNK]\": 0, \"a\": 1, \"##b\": 2}}}", StandardCharsets.UTF_8);

        assertEquals("the model is WordPiece, not BPE", BpeEncoder.probe(wordPiece, false).unsupported());
        try (Tokenizer t = BpeEncoder.load(wordPiece, false)) {
            assertInstanceOf(HfTokenizer.class, t);
            assertArrayEquals(new int[] {1, 2, 0}, t.encode("ab c"));
        }
    }
}
