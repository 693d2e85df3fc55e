import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.train.RunListener;
import dev.notebench.train.TrainConfig;
import dev.notebench.train.TrainOptions;
import dev.notebench.train.TrainRun;
import dev.notebench.train.data.TokenFile;
import dev.notebench.train.data.Windows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One fine-tuning step of a Hugging Face checkpoint as Notebench's trainer runs it: a {@link TrainRun}
 * configured by the command line's own options ({@code --init-from}, {@code --lora-rank 8 --lora-alpha 16
 * --lora-targets ...} or every weight), so the model, the adapters, AdamW, clipping and the allocator
 * settings are the trainer's. Each step's seconds are the trainer's own (from the batch being drawn
 * to the optimizer's update, {@link RunListener.Step#tokensPerSecond}); the first is a warm-up and
 * not counted. Prints one JSON line: the median steps/s, the step-0 loss, and the peak RSS when the
 * last step ended (VmHWM, before the run's final checkpoint and evaluation).
 *
 *   java -cp CLI_CLASSPATH bench/LoraStep.java train MODEL_DIR CORPUS RUNS_DIR THREADS BATCH SEQ STEPS lora|full
 *   java -cp CLI_CLASSPATH bench/LoraStep.java ids MODEL_DIR CORPUS RUNS_DIR BATCH SEQ OUT_JSON
 *
 * {@code ids} writes the inputs and targets the trainer draws at step 0 (its seeded windows), for
 * bench/lora_step.py to compute its loss on the same ids.
 */
public class LoraStep {
    public static void main(String[] a) throws Exception {
        String mode = a[0];
        Path model = Path.of(a[1]);
        if (mode.equals("ids")) {
            ids(config(model, a[2], Path.of(a[3]), "ids", 1, Integer.parseInt(a[4]), Integer.parseInt(a[5]), 1, "full"),
                    Path.of(a[6]));
            return;
        }
        int threads = Integer.parseInt(a[4]);
        int batch = Integer.parseInt(a[5]);
        int seq = Integer.parseInt(a[6]);
        int steps = Integer.parseInt(a[7]);
        String what = a[8];
        TrainConfig config = config(model, a[2], Path.of(a[3]), model.getFileName() + "-" + what + "-" + ProcessHandle.current().pid(),
                threads, batch, seq, steps, what);
        List<Double> seconds = new ArrayList<>();
        double[] loss0 = {Double.NaN};
        long[] peakKb = {0};
        long t0 = System.nanoTime();
        TrainRun.Result r = TrainRun.create(config).listener(new RunListener() {
            @Override
            public void step(Step s) {
                seconds.add((double) batch * seq / s.tokensPerSecond());
                if (s.step() == 0) {
                    loss0[0] = s.loss();
                }
                if (s.step() == steps - 1) {
                    peakKb[0] = vmHwmKb();
                }
            }
        }).run();
        double[] timed = seconds.subList(1, seconds.size()).stream().mapToDouble(d -> d).toArray();
        System.out.printf(Locale.ROOT, "{\"impl\": \"notebench\", \"model\": \"%s\", \"mode\": \"%s\", \"threads\": %d, \"batch\": %d,"
                        + " \"seq\": %d, \"steps\": %d, \"step_s\": %.3f, \"steps_per_s\": %.4f, \"loss0\": %.6f, \"step_rss_mb\": %d,"
                        + " \"run_s\": %.1f, \"status\": \"%s\", \"step_seconds\": %s}%n",
                model.getFileName(), what, threads, batch, seq, timed.length, median(timed), 1 / median(timed), loss0[0],
                peakKb[0] / 1024, (System.nanoTime() - t0) / 1e9, r.status(), Arrays.toString(
                        seconds.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toArray()));
    }

    /** The run's configuration, through the command line's options: what {@code ./notebench train} would train. */
    private static TrainConfig config(Path model, String corpus, Path runs, String runId, int threads, int batch, int seq, int steps,
                                      String what) {
        List<String> words = new ArrayList<>(List.of("--init-from", model.toString(), "--corpus", corpus, "--runs-dir", runs.toString(),
                "--run-id", runId, "--device", "cpu", "--threads", String.valueOf(threads), "--batch", String.valueOf(batch),
                "--block-size", String.valueOf(seq), "--steps", String.valueOf(steps), "--lr", "1e-4", "--warmup", "0",
                "--eval-every", String.valueOf(steps), "--eval-batches", "1", "--checkpoint-every", String.valueOf(steps)));
        if (what.equals("lora")) {
            words.addAll(List.of("--lora-rank", "8", "--lora-alpha", "16", "--lora-dropout", "0"));
        }
        return TrainOptions.config(TrainOptions.OPTIONS.parse(words));
    }

    /** Writes the trainer's step-0 batch (micro-batch 0) as JSON: {"inputs": [[...]], "targets": [[...]]}. */
    private static void ids(TrainConfig config, Path out) throws Exception {
        TrainRun run = TrainRun.create(config);
        try (Tokenizer tokenizer = TokenizerArtifact.load(config.tokenizer());
             TokenFile data = run.files().tokens(tokenizer);
             NDManager m = NDManager.newBaseManager()) {
            NDList xy = new Windows(data, config.window(), config.batchSize(), config.seed()).train(m, 0, 0);
            long rows = xy.get(0).getShape().get(0);
            Files.writeString(out, "{\"inputs\": " + rows(xy.get(0).toLongArray(), rows) + ", \"targets\": "
                    + rows(xy.get(1).toLongArray(), rows) + "}\n");
        }
    }

    private static String rows(long[] ids, long rows) {
        int n = (int) (ids.length / rows);
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            out.add(Arrays.toString(Arrays.copyOfRange(ids, r * n, (r + 1) * n)));
        }
        return out.toString();
    }

    /** The process's peak resident set so far, in KiB (Linux's VmHWM). */
    private static long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
