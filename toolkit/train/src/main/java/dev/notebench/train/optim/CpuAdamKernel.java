package dev.notebench.train.optim;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * AdamW's update of fp32 parameters in CPU memory as one pass over each parameter's weights,
 * moments and gradient, computed in Java on the tensors' own memory. PyTorch's default CPU AdamW
 * makes eight passes over parameter-sized arrays and DJL's {@code adamUpdate} twelve (five of
 * them into temporaries); the step is bound by memory traffic, so one pass is what makes it cheap.
 *
 * <p>The arrays are cut into blocks that a small pool of threads (the caller and {@code threads
 * - 1} workers) take in turn; every element is computed by the same float arithmetic whichever
 * thread takes it, so the result does not depend on the thread count. The gradient is zeroed in
 * the same pass. Owns its worker threads: {@link #close()} stops them.
 */
final class CpuAdamKernel implements AutoCloseable {
    /** Elements per task: large enough that handing out tasks costs nothing, small enough to balance. */
    private static final int BLOCK = 1 << 16;
    /** Elements per inner loop: four arrays of this many floats stay in the L1/L2 cache. */
    private static final int CHUNK = 2048;

    private final int threads;
    private final ExecutorService workers;

    /** The arrays of one parameter, as views of the tensors' memory. */
    record Slot(FloatBuffer weight, FloatBuffer mean, FloatBuffer variance, FloatBuffer grad, float keep) {
        Slot {
            int n = weight.capacity();
            if (mean.capacity() != n || variance.capacity() != n || grad.capacity() != n) {
                throw new IllegalArgumentException("a parameter's weight, moments and gradient differ in size");
            }
        }
    }

    /**
     * The step's constants: {@code g' = rescale·g; m = b1·m + (1-b1)·g'; v = b2·v + (1-b2)·g'²;
     * w = keep·w - correction·m / (sqrt(v) + eps)}, where {@code keep} is the slot's decoupled
     * decay factor ({@code 1 - lr·wd}, or 1) and {@code correction} folds the learning rate and
     * both bias corrections.
     */
    record Constants(float rescale, float beta1, float beta2, float correction, float eps) {
    }

    /**
     * @param threads how many threads update (the caller included); at least 1
     */
    CpuAdamKernel(int threads) {
        this.threads = Math.max(1, threads);
        this.workers = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "notebench-adamw");
            t.setDaemon(true);
            return t;
        });
    }

    /** Returns how many threads update. */
    int threads() {
        return threads;
    }

    /**
     * Returns the L2 norm of all the arrays together. Each block's sum of squares is taken in
     * double and the blocks are added in order, so the result does not depend on the thread count.
     */
    double norm(List<FloatBuffer> arrays) {
        List<int[]> tasks = blocks(arrays.stream().mapToInt(FloatBuffer::capacity).toArray());
        double[] sums = new double[tasks.size()];
        AtomicInteger next = new AtomicInteger();
        run(tasks.size(), () -> {
            float[] g = new float[CHUNK];
            for (int k; (k = next.getAndIncrement()) < tasks.size(); ) {
                int[] task = tasks.get(k);
                FloatBuffer a = arrays.get(task[0]);
                double sum = 0;
                for (int at = task[1]; at < task[2]; at += CHUNK) {
                    int len = Math.min(CHUNK, task[2] - at);
                    a.get(at, g, 0, len);
                    sum += sumOfSquares(g, len);
                }
                sums[k] = sum;
            }
            return null;
        });
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        return Math.sqrt(total);
    }

    /** Eight running sums, so that the additions do not wait on each other. */
    private static double sumOfSquares(float[] g, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            s0 += (double) g[i] * g[i];
            s1 += (double) g[i + 1] * g[i + 1];
            s2 += (double) g[i + 2] * g[i + 2];
            s3 += (double) g[i + 3] * g[i + 3];
            s4 += (double) g[i + 4] * g[i + 4];
            s5 += (double) g[i + 5] * g[i + 5];
            s6 += (double) g[i + 6] * g[i + 6];
            s7 += (double) g[i + 7] * g[i + 7];
        }
        for (; i < len; i++) {
            s0 += (double) g[i] * g[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Updates every slot in place and zeroes its gradient. */
    void update(List<Slot> slots, Constants c) {
        List<int[]> tasks = blocks(slots.stream().mapToInt(s -> s.weight().capacity()).toArray());
        AtomicInteger next = new AtomicInteger();
        run(tasks.size(), () -> {
            float[] w = new float[CHUNK];
            float[] m = new float[CHUNK];
            float[] v = new float[CHUNK];
            float[] g = new float[CHUNK];
            float[] zeros = new float[CHUNK];
            for (int k; (k = next.getAndIncrement()) < tasks.size(); ) {
                int[] task = tasks.get(k);
                Slot slot = slots.get(task[0]);
                for (int at = task[1]; at < task[2]; at += CHUNK) {
                    int len = Math.min(CHUNK, task[2] - at);
                    slot.weight().get(at, w, 0, len);
                    slot.mean().get(at, m, 0, len);
                    slot.variance().get(at, v, 0, len);
                    slot.grad().get(at, g, 0, len);
                    step(w, m, v, g, len, slot.keep(), c);
                    slot.weight().put(at, w, 0, len);
                    slot.mean().put(at, m, 0, len);
                    slot.variance().put(at, v, 0, len);
                    slot.grad().put(at, zeros, 0, len);
                }
            }
            return null;
        });
    }

    /** Blocks of at most BLOCK elements over arrays of the given sizes: {array, from, to}. */
    private static List<int[]> blocks(int[] sizes) {
        List<int[]> tasks = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            for (int from = 0; from < sizes[s]; from += BLOCK) {
                tasks.add(new int[] {s, from, Math.min(sizes[s], from + BLOCK)});
            }
        }
        return tasks;
    }

    /**
     * Runs work on the caller and, when there are tasks for them, on the workers; returns when all
     * are done, also when the caller's share fails (the workers write into tensors the caller's
     * caller may free next).
     */
    private void run(int tasks, Callable<Void> work) {
        if (workers == null || tasks < 2) {
            call(work);
            return;
        }
        List<Future<Void>> running = new ArrayList<>(threads - 1);
        for (int i = 1; i < Math.min(threads, tasks); i++) {
            running.add(workers.submit(work));
        }
        try {
            call(work);
        } finally {
            awaitAll(running);
        }
    }

    private static void awaitAll(List<Future<Void>> running) {
        boolean interrupted = false;
        IllegalStateException failure = null;
        for (Future<Void> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting: the workers are still writing
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : new IllegalStateException("an optimizer worker failed", e.getCause());
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One chunk: the update of {@link Constants}, element by element (C2 vectorizes the loop). */
    static void step(float[] w, float[] m, float[] v, float[] g, int len, float keep, Constants c) {
        float rescale = c.rescale();
        float b1 = c.beta1();
        float b2 = c.beta2();
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        float corr = c.correction();
        float eps = c.eps();
        for (int i = 0; i < len; i++) {
            float gi = g[i] * rescale;
            float mi = m[i] * b1 + gi * c1;
            float vi = v[i] * b2 + gi * gi * c2;
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] * keep - corr * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    private static void call(Callable<Void> work) {
        try {
            work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
