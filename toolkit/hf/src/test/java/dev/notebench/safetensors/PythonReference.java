package dev.notebench.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Python's safetensors, transformers and huggingface_hub (build/pyenv, pinned by .ci/install-deps),
 * the reference the tests compare with. Found as toolkit/tokenize's tests find it.
 */
public final class PythonReference {
    private PythonReference() {
    }

    /** Returns the project's root directory. */
    public static Path home() {
        return Path.of(System.getProperty("notebench.home", "../..")).toAbsolutePath().normalize();
    }

    /** Returns the Python that has the reference packages. */
    public static Path python() {
        String configured = System.getenv("NOTEBENCH_PYTHON");
        Path p = configured != null && !configured.isBlank() ? Path.of(configured) : home().resolve("build/pyenv/bin/python");
        assertTrue(Files.isExecutable(p), "no Python with safetensors at " + p + "; run .ci/install-deps (or set NOTEBENCH_PYTHON)");
        return p;
    }

    /**
     * Runs a script of this module's src/test/python and returns its standard output.
     *
     * @param script the file name, e.g. {@code safetensors_ref.py}
     * @param env extra environment variables
     * @param args its arguments
     * @return what it printed
     */
    public static String run(String script, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python().toString(), home().resolve("toolkit/hf/src/test/python/" + script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), script + " " + String.join(" ", args) + " failed");
        return out;
    }

    /** Runs safetensors_ref.py and parses the JSON it prints. */
    static JsonObject safetensors(String... args) throws IOException, InterruptedException {
        String out = run("safetensors_ref.py", Map.of(), args);
        return out.isBlank() ? new JsonObject() : JsonParser.parseString(out).getAsJsonObject();
    }
}
