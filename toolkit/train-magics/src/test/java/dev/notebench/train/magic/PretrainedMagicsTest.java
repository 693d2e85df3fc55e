package dev.notebench.train.magic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.magics.RecordingContext;
import dev.notebench.train.generate.Generator;
import dev.notebench.train.generate.Scorer;
import dev.notebench.train.pretrained.HfCausalLm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %score} and {@code %generate} with {@code --model}: a tiny random LLaMA checkpoint with its
 * tokenizer, made by transformers (toolkit/train/src/test/python/hf_pretrained.py), by directory and
 * by name from the Hugging Face cache the kernel's environment names.
 */
class PretrainedMagicsTest {
    @TempDir
    static Path made;

    private static Path home() {
        return Path.of(System.getProperty("notebench.home", "../..")).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void makeCheckpoint() throws Exception {
        HfCausalLm.runScript("hf_pretrained.py", made.resolve("python.log"), made.toString(), "llama",
                home().resolve("datasets/sotu/sotu-sample.txt").toString());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static JsonObject reference() {
        return JsonParser.parseString(read(made.resolve("reference.json"))).getAsJsonObject();
    }

    @Test
    void scoreWithAModelDirectoryGivesTransformersLossAndShowsNoDownloadBar() {
        RecordingContext context = new RecordingContext();
        JsonObject want = reference().getAsJsonArray("texts").get(1).getAsJsonObject();
        Scorer.Score s = new TrainMagics(context).score(List.of("--model", made.resolve("model").toString(), want.get("text").getAsString()));
        assertEquals(want.get("loss").getAsDouble(), s.loss(), 1e-4);
        assertEquals(want.getAsJsonArray("tokens").size(), s.ids().length);
        assertEquals(String.format(java.util.Locale.ROOT, "loss %.4f nats/token, perplexity %.2f over %d tokens", s.loss(), s.perplexity(),
                s.ids().length - 1), context.shownText().get(0));
        tech.tablesaw.api.Table table = (tech.tablesaw.api.Table) context.shown.get(1);
        assertEquals(String.format(java.util.Locale.ROOT, "%.3f", s.surprisal()[1]), table.getString(1, "surprisal"),
                "surprisal in nats to 3 places");
        assertEquals("", table.getString(0, "surprisal"), "the first token has none");
    }

    @Test
    void generateFindsAModelByNameInTheCacheOfTheKernelsEnvironment(@TempDir Path tmp) throws Exception {
        String commit = "89abcdef0123456789abcdef0123456789abcdef";
        Path repo = tmp.resolve("hub/models--tiny--llama");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        try (Stream<Path> files = Files.list(made.resolve("model"))) {
            for (Path f : files.toList()) {
                Files.copy(f, snapshot.resolve(f.getFileName()));
            }
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit);
        RecordingContext context = new RecordingContext()
                .withEnvironment(Map.of("HF_HUB_CACHE", tmp.resolve("hub").toString(), "HF_HUB_OFFLINE", "1"));
        JsonObject ref = reference();
        List<Generator.Sample> samples = new TrainMagics(context).generate(List.of("--model", "tiny/llama", "--temperature", "0",
                "--max-new-tokens", "32", ref.get("prompt").getAsString()));
        JsonObject want = ref.getAsJsonObject("generated");
        assertArrayEquals(want.getAsJsonArray("tokens").asList().stream().mapToInt(e -> e.getAsInt()).toArray(), samples.get(0).tokens());
        assertEquals(want.get("text").getAsString(), samples.get(0).text());
    }
}
