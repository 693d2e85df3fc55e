package dev.notebench.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Run directories written by hand, as RunDirectory writes them: manifest, status, metrics, log. */
final class Runs {
    static final Instant BEAT = Instant.parse("2026-12-01T10:00:00Z");

    private Runs() {
    }

    static Path run(Path runsDir, String id, String created, String status, long step, Long pid, String host, String summary)
            throws IOException {
        Path dir = Files.createDirectories(runsDir.resolve(id).resolve("checkpoints"));
        dir = dir.getParent();
        Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"notebench-run/1\", \"run_id\": \"" + id + "\", \"created\": \""
                + created + "\", \"config\": {\"family\": \"gpt\", \"model\": {\"n_layer\": 1, \"d_model\": 32}, \"tokenizer\":"
                + " \"/data/tok\", \"corpus\": [\"/data/c.txt\"], \"runs_dir\": \"" + runsDir + "\", \"run_id\": \"" + id + "\","
                + " \"batch_size\": 4, \"grad_accum\": 1, \"steps\": 30, \"learning_rate\": 0.003, \"min_learning_rate\": 0.0003,"
                + " \"warmup_steps\": 0, \"weight_decay\": 0.1, \"grad_clip\": 1.0, \"eval_every\": 10, \"seed\": 42,"
                + " \"device\": \"cpu\", \"precision\": \"fp32\", \"threads\": 1}"
                + (summary == null ? "" : ", \"summary\": " + summary) + "}");
        if (status != null) {
            status(dir, status, step, pid, host);
        }
        return dir;
    }

    static void status(Path dir, String status, long step, Long pid, String host) throws IOException {
        Files.writeString(dir.resolve("status.json.tmp"), "{\"status\": \"" + status + "\", \"step\": " + step + ", \"steps\": 30"
                + (pid != null ? ", \"pid\": " + pid : "") + (host != null ? ", \"host\": \"" + host + "\"" : "")
                + ", \"heartbeat\": \"" + BEAT + "\"}");
        Files.move(dir.resolve("status.json.tmp"), dir.resolve("status.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String step(long step) {
        return "{\"type\":\"step\",\"step\":" + step + ",\"loss\":" + (4.0 - step / 1000.0) + ",\"lr\":0.003}";
    }
}
