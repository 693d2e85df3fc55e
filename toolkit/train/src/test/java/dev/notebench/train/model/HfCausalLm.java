package dev.notebench.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Tiny random checkpoints made by transformers (src/test/python/hf_causal_lm.py, Python from
 * {@code NOTEBENCH_PYTHON} or build/pyenv), and a test-only way to load their weights: DJL's
 * whole-file safetensors decoding, until Notebench's own reader is merged in.
 */
final class HfCausalLm {
    private HfCausalLm() {
    }

    /**
     * One checkpoint to make.
     *
     * @param name its directory
     * @param modelType transformers' model_type
     * @param config the config's keys
     * @param seed torch's seed
     * @param prompts token ids
     */
    record Case(String name, String modelType, Map<String, Object> config, long seed, List<long[]> prompts) {
    }

    static Path home() {
        return Path.of(System.getProperty("notebench.home", "../..")).toAbsolutePath().normalize();
    }

    static Path python() {
        String configured = System.getenv("NOTEBENCH_PYTHON");
        Path p = configured != null && !configured.isBlank() ? Path.of(configured) : home().resolve("build/pyenv/bin/python");
        assertTrue(Files.isExecutable(p), "no Python with transformers at " + p + "; run .ci/install-deps (or set NOTEBENCH_PYTHON)");
        return p;
    }

    /** Makes every case's checkpoint and reference outputs under {@code out}, in one Python process. */
    static void make(Path out, int maxNewTokens, List<Case> cases) throws IOException, InterruptedException {
        List<Map<String, Object>> spec = new ArrayList<>();
        for (Case c : cases) {
            spec.add(Map.of("name", c.name(), "model_type", c.modelType(), "config", c.config(), "seed", c.seed(),
                    "prompts", c.prompts(), "max_new_tokens", maxNewTokens));
        }
        Path specFile = out.resolve("spec.json");
        Files.writeString(specFile, new Gson().toJson(spec));
        ProcessBuilder pb = new ProcessBuilder(python().toString(),
                home().resolve("toolkit/train/src/test/python/hf_causal_lm.py").toString(), specFile.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("python.log").toFile());
        pb.environment().put("HF_HUB_OFFLINE", "1");
        pb.environment().put("HF_HUB_DISABLE_PROGRESS_BARS", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "hf_causal_lm.py did not finish");
        assertEquals(0, p.exitValue(), () -> "hf_causal_lm.py failed: " + read(out.resolve("python.log")));
    }

    static Map<String, Object> json(Path file) throws IOException {
        return new Gson().fromJson(read(file), new TypeToken<Map<String, Object>>() { }.getType());
    }

    /** Reads a safetensors file by name (test-only: DJL decodes the whole file into memory). */
    static Map<String, NDArray> tensors(Path file, NDManager m) throws IOException {
        Map<String, NDArray> out = new HashMap<>();
        for (NDArray a : NDList.decode(m, Files.readAllBytes(file))) {
            out.put(a.getName(), a);
        }
        return out;
    }

    /**
     * Copies a checkpoint's tensors into a model's parameters, each to the parameter {@code target}
     * names (empty: not a parameter), refusing a parameter left unfilled or a tensor left unused.
     */
    static void load(LanguageModel model, Path dir, Function<String, Optional<Gpt2Weights.Target>> target) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> byName = new HashMap<>();
            model.parameters().forEach(p -> byName.put(p.getName(), p));
            Set<String> filled = new HashSet<>();
            for (Map.Entry<String, NDArray> e : tensors(dir.resolve("model.safetensors"), m).entrySet()) {
                Optional<Gpt2Weights.Target> t = target.apply(e.getKey());
                if (t.isEmpty()) {
                    continue;
                }
                Parameter p = byName.get(t.get().name());
                assertTrue(p != null, "the checkpoint's " + e.getKey() + " has no parameter " + t.get().name());
                NDArray value = t.get().transposed() ? Gpt2Weights.toParameterLayout(e.getKey(), e.getValue()) : e.getValue();
                assertEquals(p.getArray().getShape(), value.getShape(), e.getKey());
                NoGrad.run(() -> {
                    Tensors.copyInto(p.getArray(), value);
                    return null;
                });
                filled.add(p.getName());
            }
            assertEquals(byName.keySet(), filled, "every parameter is in the checkpoint");
        }
    }

    /** Names as they are: LLaMA-family checkpoints need no renaming. */
    static Optional<Gpt2Weights.Target> sameName(String name) {
        return Optional.of(new Gpt2Weights.Target(name, false));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
