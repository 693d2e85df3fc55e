package dev.notebench.tokenize;

import dev.notebench.NotebenchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link NativeLibraryTest} in a class loader that lacks DJL's native tokenizers, as a
 * library user's application would: what works, and what each missing library says.
 */
public final class WithoutNativesProbe {
    private WithoutNativesProbe() {
    }

    /** Trains BPE and char tokenizers in {@code dir}, then tries to load the native-backed ones. */
    public static List<String> run(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        Path corpus = Files.writeString(dir.resolve("c.txt"), "ab ab ab\n", StandardCharsets.UTF_8);
        BpeTraining bpe = BpeTrainer.builder(259).build().train(Corpus.of(corpus.toString()));
        out.add("bpe merges " + bpe.model().merges());
        CharTokenizer chars = CharTokenizer.train(Corpus.of(corpus.toString()), 100, 1).tokenizer();
        out.add("chars " + Arrays.toString(chars.encode("ba")));
        Path json = dir.resolve("tokenizer.json");
        bpe.model().save(json);
        try {
            HfTokenizer.load(json).close();
            out.add("tokenizer.json loaded");
        } catch (NotebenchException e) {
            out.add(e.code() + ": " + e.getMessage());
        }
        Path model = Files.write(dir.resolve("m.model"), new byte[] {10, 3, 'a', 'b', 'c'});
        try {
            SentencePieceTokenizer.load(model).close();
            out.add(".model loaded");
        } catch (NotebenchException e) {
            out.add(e.code() + ": " + e.getMessage());
        }
        return out;
    }
}
