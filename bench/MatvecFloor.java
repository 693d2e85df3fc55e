import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The weights-only floor of a batch-1 decode step: every linear layer of a model's shape applied once, in
 * order, to one row, each with weights of its own (so no weight stays in cache from one step to the next), as
 * DJL's libtorch runs it. bench/matvec_floor.py runs the same with the Python peer's torch; the gap between
 * a generated token's time (bench/pretrained-inference.sh) and this floor is what each side spends on
 * everything else (attention, norms, the cache, the interpreter, the JNI or Python calls).
 *
 *   java -cp CLI_CLASSPATH bench/MatvecFloor.java MODEL THREADS REPS      (MODEL: gpt2-124m | qwen2.5-0.5b)
 */
public class MatvecFloor {
    /** In and out sizes of a model's linear layers, in the order a decode step applies them. */
    static List<int[]> shapes(String model) {
        List<int[]> s = new ArrayList<>();
        if (model.equals("gpt2-124m")) {
            for (int l = 0; l < 12; l++) {
                s.addAll(List.of(new int[] {768, 2304}, new int[] {768, 768}, new int[] {768, 3072}, new int[] {3072, 768}));
            }
            s.add(new int[] {768, 50257});
        } else if (model.equals("qwen2.5-0.5b")) {
            for (int l = 0; l < 24; l++) {
                s.addAll(List.of(new int[] {896, 896}, new int[] {896, 128}, new int[] {896, 128}, new int[] {896, 896},
                        new int[] {896, 4864}, new int[] {896, 4864}, new int[] {4864, 896}));
            }
            s.add(new int[] {896, 151936});
        } else {
            throw new IllegalArgumentException("model: gpt2-124m or qwen2.5-0.5b, not " + model);
        }
        return s;
    }

    public static void main(String[] a) {
        String model = a[0];
        int threads = Integer.parseInt(a[1]);
        int reps = Integer.parseInt(a[2]);
        Engine.getInstance();
        JniUtils.setNumThreads(threads);
        List<int[]> shapes = shapes(model);
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDArray> weights = new ArrayList<>();
            List<NDArray> inputs = new ArrayList<>();
            long params = 0;
            for (int[] s : shapes) {
                weights.add(m.randomNormal(new Shape(s[1], s[0])));
                inputs.add(m.randomNormal(new Shape(1, s[0])));
                params += (long) s[0] * s[1];
            }
            double[] ms = new double[reps];
            for (int r = -2; r < reps; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < shapes.size(); i++) {
                    Linear.linear(inputs.get(i), weights.get(i)).singletonOrThrow().close();
                }
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "{\"impl\": \"djl %s\", \"model\": \"%s\", \"threads\": %d, \"linears\": %d, \"params_m\": %.1f,"
                    + " \"floor_ms\": %.2f, \"min_ms\": %.2f}%n", Engine.getInstance().getVersion(), model, threads, shapes.size(),
                    params / 1e6, ms[reps / 2], ms[0]);
        }
    }
}
