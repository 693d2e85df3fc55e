package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Hugging Face tokenizers (Python, pinned 0.23.2 in build/pyenv by .ci/install-deps), the reference. */
final class HfReference {
    private HfReference() {
    }

    static Path home() {
        return Path.of(System.getProperty("notebench.home", "../..")).toAbsolutePath().normalize();
    }

    static Path python() {
        String configured = System.getenv("NOTEBENCH_PYTHON");
        Path p = configured != null && !configured.isBlank() ? Path.of(configured) : home().resolve("build/pyenv/bin/python");
        assertTrue(Files.isExecutable(p), "no Python with HF tokenizers at " + p + "; run .ci/install-deps (or set NOTEBENCH_PYTHON)");
        return p;
    }

    private static String run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python().toString(),
                home().resolve("toolkit/tokenize/src/test/python/hf_bpe.py").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "hf_bpe.py " + String.join(" ", args) + " failed");
        return out;
    }

    /** Trains HF's ByteLevelBPETokenizer and returns its tokenizer.json. */
    static Path train(Path out, int vocab, long minFrequency, List<String> specials, Path... files)
            throws IOException, InterruptedException {
        return train(out, vocab, minFrequency, specials, -1, files);
    }

    /** Trains with HF's Rust BpeTrainer from the seen bytes only ({@code seenLimit} ≥ 0), or as above (-1). */
    static Path train(Path out, int vocab, long minFrequency, List<String> specials, int seenLimit, Path... files)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString(), "--vocab", String.valueOf(vocab),
                "--min-frequency", String.valueOf(minFrequency)));
        if (seenLimit >= 0) {
            args.add("--seen-alphabet-only");
            args.add(String.valueOf(seenLimit));
        }
        for (String s : specials) {
            args.add("--special");
            args.add(s);
        }
        for (Path f : files) {
            args.add(f.toString());
        }
        run(null, args.toArray(new String[0]));
        return out;
    }

    /**
     * Trains a small byte-level BPE laid out as GPT-2's ({@code gpt2}) or LLaMA-3's ({@code llama3}:
     * Split with LLaMA-3's regex, ByteLevel, a BOS template, reserved special tokens) files are;
     * {@code gpt2-prefix} is GPT-2's with ByteLevel's {@code add_prefix_space}.
     */
    static Path style(Path out, String style, int vocab, List<String> addedTokens, Path... files)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("style", "--style", style.replace("-prefix", ""), "--out", out.toString(),
                "--vocab", String.valueOf(vocab)));
        if (style.endsWith("-prefix")) {
            args.add("--add-prefix-space");
        }
        for (String a : addedTokens) {
            args.add("--added=" + a);
        }
        for (Path f : files) {
            args.add(f.toString());
        }
        run(null, args.toArray(new String[0]));
        return out;
    }

    /** Encodes texts with HF tokenizers from Python, or with transformers' PreTrainedTokenizerFast. */
    static List<int[]> encode(Path tokenizerJson, List<String> texts, boolean transformers) throws IOException, InterruptedException {
        return transformers
                ? parse(run(new Gson().toJson(texts), "encode", "--transformers", "--tokenizer", tokenizerJson.toString()))
                : encodeWith(tokenizerJson, texts, false);
    }

    /** Encodes texts with HF tokenizers' {@code encode_batch}, adding the post-processor's tokens or not. */
    static List<int[]> encodeWith(Path tokenizerJson, List<String> texts, boolean addSpecialTokens) throws IOException, InterruptedException {
        return addSpecialTokens
                ? parse(run(new Gson().toJson(texts), "encode", "--add-special-tokens", "--tokenizer", tokenizerJson.toString()))
                : parse(run(new Gson().toJson(texts), "encode", "--tokenizer", tokenizerJson.toString()));
    }

    private static List<int[]> parse(String json) {
        JsonArray all = JsonParser.parseString(json).getAsJsonArray();
        List<int[]> out = new ArrayList<>();
        all.forEach(e -> {
            JsonArray a = e.getAsJsonArray();
            int[] ids = new int[a.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = a.get(i).getAsInt();
            }
            out.add(ids);
        });
        return out;
    }
}
