package dev.notebench.train.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.train.model.LanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples continuations of a prompt: greedy or with temperature, top-k and top-p, several
 * sequences at once, stopping at end-of-text or stop sequences. The model decodes incrementally
 * (the GPT with a key/value cache), so each new token costs one step, not the whole context. The
 * same seed gives the same text.
 */
public final class Generator {
    private final TrainedModel model;

    /**
     * Creates a generator.
     *
     * @param model the model and its tokenizer
     */
    public Generator(TrainedModel model) {
        this.model = model;
    }

    /**
     * One sampled sequence.
     *
     * @param text the generated text, without the prompt
     * @param tokens the generated ids
     * @param stopReason eos, stop_sequence or length
     */
    public record Sample(String text, int[] tokens, String stopReason) {
    }

    /**
     * Generates continuations.
     *
     * @param prompt the prompt (may be empty when the tokenizer has an end-of-text token to start from)
     * @param options how to sample
     * @return one sample per requested sequence
     */
    public List<Sample> generate(String prompt, GenerateOptions options) {
        return dev.notebench.train.model.NoGrad.run(() -> sample(prompt, options)); // also on a thread other than the engine's
    }

    private List<Sample> sample(String prompt, GenerateOptions options) {
        Tokenizer tok = model.tokenizer();
        LanguageModel lm = model.model();
        int[] eosIds = model.eosIds();
        int eos = eosIds.length > 0 ? eosIds[0] : -1;
        int[] promptIds = tok.encode(prompt);
        if (promptIds.length == 0) {
            if (eos < 0) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                        "the prompt is empty and the tokenizer has no end-of-text token to start from; give a prompt");
            }
            promptIds = new int[] {eos};
        }
        int b = options.numReturnSequences();
        SplittableRandom rng = new SplittableRandom(options.seed());
        List<List<Integer>> out = new ArrayList<>();
        String[] reason = new String[b];
        for (int i = 0; i < b; i++) {
            out.add(new ArrayList<>());
        }
        try (NDManager m = model.manager().newSubManager(); LanguageModel.Decoder dec = lm.decoder(b)) {
            long[] first = new long[b * promptIds.length];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < promptIds.length; j++) {
                    first[i * promptIds.length + j] = promptIds[j];
                }
            }
            NDArray logits = dec.next(m.create(first, new Shape(b, promptIds.length)));
            for (int t = 0; t < options.maxNewTokens(); t++) {
                float[] all = logits.toFloatArray();
                long[] next = new long[b];
                boolean live = false;
                for (int i = 0; i < b; i++) {
                    if (reason[i] != null) {
                        next[i] = eos >= 0 ? eos : 0;
                        continue;
                    }
                    int id = pick(Arrays.copyOfRange(all, i * lm.vocabSize(), (i + 1) * lm.vocabSize()), options, rng);
                    next[i] = id;
                    if (options.stopOnEos() && contains(eosIds, id)) {
                        reason[i] = "eos";
                        continue;
                    }
                    out.get(i).add(id);
                    if (!options.stopSequences().isEmpty()) {
                        String text = decode(tok, out.get(i));
                        for (String s : options.stopSequences()) {
                            if (text.contains(s)) {
                                reason[i] = "stop_sequence";
                            }
                        }
                    }
                    live |= reason[i] == null;
                }
                if (!live) {
                    break;
                }
                try (NDManager step = m.newSubManager()) {
                    NDArray previous = logits;
                    logits = dec.next(step.create(next, new Shape(b, 1)));
                    logits.attach(m);
                    previous.close();
                }
            }
        }
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            String text = decode(tok, out.get(i));
            for (String s : options.stopSequences()) {
                int at = text.indexOf(s);
                if (at >= 0) {
                    text = text.substring(0, at);
                }
            }
            samples.add(new Sample(text, out.get(i).stream().mapToInt(Integer::intValue).toArray(),
                    reason[i] == null ? "length" : reason[i]));
        }
        return samples;
    }

    /** Chooses the next token from one row of logits. */
    static int pick(float[] logits, GenerateOptions o, SplittableRandom rng) {
        int v = logits.length;
        if (o.temperature() == 0) {
            int best = 0;
            for (int i = 1; i < v; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        int keep = o.topK() > 0 ? Math.min(o.topK(), v) : v;
        int[] order = ranked(logits, keep);
        double max = logits[order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / o.temperature());
            sum += p[i];
        }
        if (o.topP() < 1) {
            double cum = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cum += p[i] / sum;
                if (cum >= o.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u <= 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    /**
     * Returns the ids of the {@code keep} highest logits, highest first, equal logits by id: a
     * selection then a sort of primitive keys (the logit's order in the high half, the id in the
     * low), not a sort of the whole vocabulary with boxed ids for every sampled token.
     */
    static int[] ranked(float[] logits, int keep) {
        int v = logits.length;
        long[] keys = new long[v];
        for (int i = 0; i < v; i++) {
            int bits = Float.floatToIntBits(logits[i] + 0.0f); // -0.0 is 0.0, as == has it
            int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) ~ascending << 32) | i;
        }
        if (keep < v) {
            selectSmallest(keys, keep);
        }
        Arrays.sort(keys, 0, keep);
        int[] ids = new int[keep];
        for (int i = 0; i < keep; i++) {
            ids[i] = (int) keys[i];
        }
        return ids;
    }

    /** Moves the {@code k} smallest of distinct keys to the front, in any order (quickselect). */
    private static void selectSmallest(long[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            long pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k - 1 <= j) {
                hi = j;
            } else if (k - 1 >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }

    /** The end-of-text token of a tokenizer Notebench trained ({@code <|endoftext|>} among the first ids), or -1. */
    static int eosId(Tokenizer tok) {
        for (int id = 0; id < Math.min(tok.vocabSize(), 16); id++) {
            if (tok.isSpecial(id) && "<|endoftext|>".equals(tok.tokenText(id))) {
                return id;
            }
        }
        return -1;
    }

    private static String decode(Tokenizer tok, List<Integer> ids) {
        return tok.decode(ids.stream().mapToInt(Integer::intValue).toArray());
    }
}
