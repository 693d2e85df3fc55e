package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our trainer against Hugging Face tokenizers 0.23.2 on the SOTU sample: the same file; the same
 * ids from DJL, HF tokenizers and transformers.
 */
class HfParityTest {
    static final List<String> TEXTS = List.of(
            "Mr. Speaker, Mr. Vice President, members of Congress, my fellow Americans:\n",
            "We've got 2,000,000 reasons—and they're all 'good' ones!  \n\n",
            "Ünïcödé, 日本語 and emoji 🎉🇺🇸 e\u0301 survive byte-level BPE.",
            "   leading spaces\tand\ttabs\r\nand CRLF");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1000, 8000})
    void tokenizerJsonAndIdsAreIdenticalToHuggingFace(int vocab) throws Exception {
        Path corpus = HfReference.home().resolve("datasets/sotu/sotu-sample.txt");
        Path hf = HfReference.train(tmp.resolve("hf.json"), vocab, 2, List.of("<|endoftext|>"), corpus);

        BpeTraining ours = BpeTrainer.builder(vocab).build().train(Corpus.of(corpus.toString()));
        Path mine = tmp.resolve("ours.json");
        ours.model().save(mine);

        assertEquals(JsonParser.parseString(Files.readString(hf, StandardCharsets.UTF_8)),
                JsonParser.parseString(Files.readString(mine, StandardCharsets.UTF_8)), "same vocabulary, merges and settings");
        assertEquals(Files.readString(hf, StandardCharsets.UTF_8), Files.readString(mine, StandardCharsets.UTF_8),
                "byte for byte the same file");

        List<int[]> hfIds = HfReference.encode(mine, TEXTS, false);
        List<int[]> transformersIds = HfReference.encode(mine, TEXTS, true);
        try (HfTokenizer djl = HfTokenizer.load(mine)) {
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(hfIds.get(i), djl.encode(TEXTS.get(i)), "ids of " + TEXTS.get(i));
                assertArrayEquals(hfIds.get(i), transformersIds.get(i), "transformers loads it unchanged");
                assertEquals(TEXTS.get(i), djl.decode(djl.encode(TEXTS.get(i))));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void startingFromTheSeenBytesOnlyMatchesHfsTrainerWithAnEmptyInitialAlphabet() throws Exception {
        Path corpus = HfReference.home().resolve("datasets/sotu/sotu-sample.txt");
        Path hf = HfReference.train(tmp.resolve("hf-seen.json"), 1000, 2, List.of("<|endoftext|>"), 0, corpus);
        BpeTraining ours = BpeTrainer.builder(1000).seenAlphabetOnly(0).build().train(Corpus.of(corpus.toString()));
        Path mine = tmp.resolve("ours-seen.json");
        ours.model().save(mine);
        assertEquals(JsonParser.parseString(Files.readString(hf, StandardCharsets.UTF_8)).getAsJsonObject().get("model"),
                JsonParser.parseString(Files.readString(mine, StandardCharsets.UTF_8)).getAsJsonObject().get("model"));
        assertEquals(1 + 95, ours.model().vocabSize() - ours.model().merges().size(), "95 distinct bytes in the sample");
    }
}
