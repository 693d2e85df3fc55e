import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.NoGrad;
import dev.notebench.train.pretrained.HfCheckpoints;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Inference speed of a Hugging Face checkpoint loaded by Notebench, at batch 1 with the key/value
 * cache, as generation runs it: a prompt of PROMPT fixed ids ((i·7919 + 13) mod vocab) fed at once (prompt tokens/s), then
 * NEW tokens one at a time, each the argmax of the last logits (generated tokens/s). Repeated
 * ROUNDS times after one warm-up; prints one JSON line with the medians.
 *
 *   java -cp CLI_CLASSPATH bench/PretrainedInference.java MODEL_DIR THREADS PROMPT NEW ROUNDS
 */
public class PretrainedInference {
    public static void main(String[] a) {
        Path dir = Path.of(a[0]);
        int threads = Integer.parseInt(a[1]);
        int promptLength = Integer.parseInt(a[2]);
        int newTokens = Integer.parseInt(a[3]);
        int rounds = Integer.parseInt(a[4]);
        Engine.getInstance();
        JniUtils.setNumThreads(threads);
        long loadStart = System.nanoTime();
        try (NDManager root = NDManager.newBaseManager(); LanguageModel model = HfCheckpoints.loadModel(dir, root)) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long[] prompt = new long[promptLength]; // the same ids as bench/pretrained_inference.py
            for (int i = 0; i < promptLength; i++) {
                prompt[i] = (i * 7919L + 13) % model.vocabSize();
            }
            double[] prefill = new double[rounds];
            double[] decode = new double[rounds];
            long[] last = new long[newTokens];
            for (int r = -1; r < rounds; r++) {
                int round = r;
                NoGrad.run(() -> {
                    try (NDManager m = root.newSubManager(); LanguageModel.Decoder d = model.decoder(1)) {
                        long t0 = System.nanoTime();
                        NDArray logits = d.next(m.create(prompt, new Shape(1, prompt.length)));
                        long next = logits.argMax(-1).toLongArray()[0];
                        long t1 = System.nanoTime();
                        for (int i = 0; i < newTokens; i++) {
                            last[i] = next;
                            try (NDManager step = m.newSubManager()) {
                                NDArray l = d.next(step.create(new long[] {next}, new Shape(1, 1)));
                                next = l.argMax(-1).toLongArray()[0];
                            }
                        }
                        long t2 = System.nanoTime();
                        if (round >= 0) {
                            prefill[round] = promptLength / ((t1 - t0) / 1e9);
                            decode[round] = newTokens / ((t2 - t1) / 1e9);
                        }
                    }
                    return null;
                });
            }
            System.out.printf(java.util.Locale.ROOT, "{\"impl\": \"notebench\", \"model\": \"%s\", \"threads\": %d, \"prompt\": %d,"
                    + " \"new\": %d, \"load_s\": %.2f, \"prompt_tok_s\": %.1f, \"gen_tok_s\": %.2f, \"first_ids\": %s}%n",
                    dir.getFileName(), threads, promptLength, newTokens, loadSeconds, median(prefill), median(decode),
                    Arrays.toString(Arrays.copyOf(last, Math.min(8, newTokens))));
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
