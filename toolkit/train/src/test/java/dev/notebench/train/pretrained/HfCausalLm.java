package dev.notebench.train.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.notebench.safetensors.SafetensorsReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tiny random checkpoints made by transformers (src/test/python/hf_causal_lm.py, Python from
 * {@code NOTEBENCH_PYTHON} or build/pyenv) and their reference outputs; and the way tests run
 * the Python scripts of src/test/python.
 */
public final class HfCausalLm {
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
    public record Case(String name, String modelType, Map<String, Object> config, long seed, List<long[]> prompts) {
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
        runScript("hf_causal_lm.py", spec, out);
    }

    /**
     * Runs one of src/test/python's scripts as {@code SCRIPT SPEC.json OUT_DIR}, offline, its
     * output in {@code OUT_DIR/python.log}.
     *
     * @param script the script's file name
     * @param spec what is written to {@code OUT_DIR/spec.json}
     * @param out the output directory
     */
    static void runScript(String script, Object spec, Path out) throws IOException, InterruptedException {
        Path specFile = out.resolve("spec.json");
        Files.writeString(specFile, new Gson().toJson(spec));
        runScript(script, out.resolve("python.log"), specFile.toString(), out.toString());
    }

    /**
     * Runs a script of src/test/python offline and fails the test when it fails.
     *
     * @param script its file name
     * @param log where its output goes (shown when it fails)
     * @param args its arguments
     */
    public static void runScript(String script, Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python().toString(),
                home().resolve("toolkit/train/src/test/python").resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HF_HUB_OFFLINE", "1");
        pb.environment().put("HF_HUB_DISABLE_PROGRESS_BARS", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), script + " did not finish");
        assertEquals(0, p.exitValue(), () -> script + " failed: " + read(log));
    }

    public static Map<String, Object> json(Path file) throws IOException {
        return new Gson().fromJson(read(file), new TypeToken<Map<String, Object>>() { }.getType());
    }

    /** Reads a reference file's tensor. */
    public static float[] tensor(Path file, String name) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return r.toFloatArray(name);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
