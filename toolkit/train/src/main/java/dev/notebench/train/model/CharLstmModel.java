package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * A character-level LSTM language model: embedding, a stacked LSTM (DJL's LSTM operator, cuDNN on
 * GPUs), dropout, and a linear head. Initialized as PyTorch initializes these layers: embedding
 * N(0, 1), LSTM and head U(-1/√fan, 1/√fan). Generation carries the LSTM state from token to token.
 */
public final class CharLstmModel extends ParameterizedModel {
    private final int embed;
    private final int hidden;
    private final int nLayer;
    private final float dropout;
    private final Parameter emb;
    private final List<Parameter> lstm = new ArrayList<>();
    private final Parameter headW;
    private final Parameter headB;

    /** Checks every hyperparameter as the constructor reads it, building nothing. */
    static void check(ModelConfig config) {
        for (String k : new String[] {"embed", "hidden", "n_layer", "seq_len"}) {
            config.intValue(k, 1);
        }
        config.doubleValue("dropout", 0, 0.9);
    }

    CharLstmModel(ModelConfig config, int vocab, NDManager manager) {
        super(config, vocab, manager, null);
        this.embed = config.intValue("embed", 1);
        this.hidden = config.intValue("hidden", 1);
        this.nLayer = config.intValue("n_layer", 1);
        this.dropout = (float) config.doubleValue("dropout", 0, 0.9);
        emb = params.normal("embedding.weight", 1f, false, vocab, embed);
        float k = (float) (1 / Math.sqrt(hidden));
        for (int l = 0; l < nLayer; l++) {
            long in = l == 0 ? embed : hidden;
            lstm.add(params.uniform("lstm.weight_ih_l" + l, Parameter.Type.WEIGHT, k, true, 4L * hidden, in));
            lstm.add(params.uniform("lstm.weight_hh_l" + l, Parameter.Type.WEIGHT, k, true, 4L * hidden, hidden));
            lstm.add(params.uniform("lstm.bias_ih_l" + l, Parameter.Type.BIAS, k, false, 4L * hidden));
            lstm.add(params.uniform("lstm.bias_hh_l" + l, Parameter.Type.BIAS, k, false, 4L * hidden));
        }
        headW = params.uniform("head.weight", Parameter.Type.WEIGHT, k, true, vocab, hidden);
        headB = params.uniform("head.bias", Parameter.Type.BIAS, k, false, vocab);
    }

    @Override
    public String family() {
        return "char-lstm";
    }

    @Override
    public int contextLength() {
        return -1;
    }

    @Override
    public NDArray forward(NDArray tokens, boolean training) {
        return run(tokens, null, training).head();
    }

    /** Returns (logits, h, c). */
    private NDList run(NDArray tokens, NDList state, boolean training) {
        NDManager m = tokens.getManager();
        long b = tokens.getShape().get(0);
        NDArray x = tokens.getNDArrayInternal().embedding(tokens, emb.getArray(), SparseFormat.DENSE).singletonOrThrow();
        if (state == null) {
            Shape s = new Shape(nLayer, b, hidden);
            state = new NDList(m.zeros(s), m.zeros(s));
        }
        NDList weights = new NDList();
        for (Parameter p : lstm) {
            weights.add(p.getArray());
        }
        NDList out = x.getNDArrayInternal().lstm(x, state, weights, true, nLayer, training ? dropout : 0, training, false, true);
        NDArray y = out.get(0);
        if (training && dropout > 0) {
            y = y.getNDArrayInternal().dropout(y, dropout, true).singletonOrThrow();
        }
        NDArray logits = y.getNDArrayInternal().linear(y, headW.getArray(), headB.getArray()).singletonOrThrow();
        return new NDList(logits, out.get(1), out.get(2));
    }

    @Override
    public Decoder decoder(int batch) {
        return new Decoder() {
            private final NDManager own = manager.newSubManager();
            private NDList state;

            @Override
            public NDArray next(NDArray tokens) {
                NDList out = run(tokens, state, false);
                NDList old = state;
                state = new NDList(out.get(1), out.get(2));
                state.attach(own);
                if (old != null) {
                    old.close();
                }
                NDArray logits = out.get(0);
                long t = logits.getShape().get(1);
                return logits.get(new NDIndex(":, {}, :", t - 1));
            }

            @Override
            public void close() {
                own.close();
            }
        };
    }
}
