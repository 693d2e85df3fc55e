package dev.notebench.train.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.train.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores text under a model: the surprisal of every token given the ones before it, their mean
 * (the loss) and perplexity, and the model's top predictions at each position. Text longer than
 * the model's context is scored in overlapping windows, so every token after the first sees at
 * least half a context of history.
 */
public final class Scorer {
    private final TrainedModel model;

    /**
     * Creates a scorer.
     *
     * @param model the model and its tokenizer
     */
    public Scorer(TrainedModel model) {
        this.model = model;
    }

    /**
     * A predicted next token.
     *
     * @param id its id
     * @param text its text
     * @param probability its probability
     */
    public record Prediction(int id, String text, double probability) {
    }

    /**
     * The score of a text.
     *
     * @param ids the text's tokens
     * @param tokens their texts
     * @param surprisal -ln p of each token given the ones before (NaN for the first, which has no history)
     * @param topK for each position, the model's most likely next tokens
     * @param loss the mean surprisal of the scored tokens, in nats
     * @param perplexity e^loss
     */
    public record Score(int[] ids, List<String> tokens, double[] surprisal, List<List<Prediction>> topK, double loss,
                        double perplexity) {
    }

    /**
     * Scores a text.
     *
     * @param text the text (at least two tokens)
     * @param k how many predictions to keep per position
     * @return the score
     */
    public Score score(String text, int k) {
        return dev.notebench.train.model.NoGrad.run(() -> scored(text, k)); // also on a thread other than the engine's
    }

    private Score scored(String text, int k) {
        if (k < 0 || k > 1000) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "top-k must be 0 (none) to 1000 predictions a position, got " + k);
        }
        Tokenizer tok = model.tokenizer();
        LanguageModel lm = model.model();
        int[] ids = tok.encode(text);
        if (ids.length < 2) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the text has " + ids.length
                    + " token(s); scoring needs at least two (the first is only context)");
        }
        int n = ids.length;
        int window = lm.contextLength() > 0 ? lm.contextLength() : n;
        int stride = Math.max(1, window / 2);
        double[] surprisal = new double[n];
        surprisal[0] = Double.NaN;
        List<List<Prediction>> top = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            top.add(List.of());
        }
        int scoredUpTo = 1; // positions < scoredUpTo are done
        for (int start = 0; scoredUpTo < n; start = Math.min(start + stride, n - 2)) {
            int end = Math.min(n, start + window + 1); // predict tokens start+1 .. end-1
            try (NDManager m = model.manager().newSubManager()) {
                long[] in = new long[end - start - 1];
                for (int i = start; i < end - 1; i++) {
                    in[i - start] = ids[i];
                }
                NDArray logp = lm.forward(m.create(in, new Shape(1, in.length)), false).logSoftmax(-1);
                float[] all = logp.toFloatArray();
                int v = lm.vocabSize();
                for (int pos = Math.max(scoredUpTo, start + 1); pos < end; pos++) {
                    int row = pos - start - 1;
                    surprisal[pos] = -all[row * v + ids[pos]];
                    top.set(pos, topK(all, row * v, v, k, tok));
                }
                scoredUpTo = end;
            }
            if (end == n) {
                break;
            }
        }
        double sum = 0;
        for (int i = 1; i < n; i++) {
            sum += surprisal[i];
        }
        double loss = sum / (n - 1);
        List<String> texts = new ArrayList<>(n);
        for (int id : ids) {
            texts.add(tok.tokenText(id));
        }
        return new Score(ids, texts, surprisal, top, loss, Math.exp(loss));
    }

    private static List<Prediction> topK(float[] logp, int from, int v, int k, Tokenizer tok) {
        List<Prediction> out = new ArrayList<>(k);
        boolean[] taken = new boolean[v];
        for (int r = 0; r < Math.min(k, v); r++) {
            int best = -1;
            for (int i = 0; i < v; i++) {
                if (!taken[i] && (best < 0 || logp[from + i] > logp[from + best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out.add(new Prediction(best, tok.tokenText(best), Math.exp(logp[from + best])));
        }
        return out;
    }
}
