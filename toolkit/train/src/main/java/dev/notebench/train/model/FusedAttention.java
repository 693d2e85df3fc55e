package dev.notebench.train.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Causal self-attention through PyTorch's {@code scaled_dot_product_attention}, which DJL does not
 * expose: on the CPU it is one fused kernel (blocks of queries against blocks of keys, skipping
 * the blocks above the diagonal, no (T, T) matrix in memory) for the forward and one for the
 * backward, where the explicit form takes a matrix product, a mask, a softmax and a second
 * product, each a pass over B·H·T² numbers. DJL does run TorchScript modules, with autograd, so
 * this class compiles a one-function TorchScript module ({@link TorchScriptModule}).
 *
 * <p>Owns the loaded module: {@link #close()} frees it.
 */
final class FusedAttention implements AutoCloseable {
    /** The module's TorchScript method, compiled by libtorch when the archive is loaded. */
    static final String SOURCE = """
              def forward(self: __torch__.CausalAttention,
                q: Tensor,
                k: Tensor,
                v: Tensor,
                dropout: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, float(dropout), True)
            """;

    private static final Logger LOG = LoggerFactory.getLogger(FusedAttention.class);
    private final TorchScriptModule module;

    private FusedAttention(TorchScriptModule module) {
        this.module = module;
    }

    /**
     * Loads the module.
     *
     * @param manager owns the module
     * @return the attention
     * @throws EngineException when libtorch refuses the module
     */
    static FusedAttention load(PtNDManager manager) {
        return new FusedAttention(TorchScriptModule.compile("CausalAttention", SOURCE, manager));
    }

    /**
     * The fused attention a model uses for whole sequences, or null (the explicit form) where it
     * cannot be loaded or the system property {@code notebench.train.attention=explicit} asks for
     * the explicit form (for comparisons). Both compute the same function.
     *
     * @param manager owns the module
     * @return the attention, or null
     */
    static FusedAttention orExplicit(NDManager manager) {
        if ("explicit".equals(System.getProperty("notebench.train.attention")) || !(manager instanceof PtNDManager)) {
            return null;
        }
        try {
            return load((PtNDManager) manager);
        } catch (EngineException | UncheckedIOException e) {
            LOG.warn("PyTorch's fused attention could not be loaded, so attention is computed explicitly: {}", e.toString());
            return null;
        }
    }

    /**
     * Attention of each query over the keys at or before its position.
     *
     * @param q queries (B, H, T, hd), not scaled: the kernel divides by sqrt(hd)
     * @param k keys (B, H, T, hd)
     * @param v values (B, H, T, hd)
     * @param dropout the probability of dropping an attention weight (0 when not training)
     * @return (B, H, T, hd), in the manager of {@code q}
     */
    NDArray apply(NDArray q, NDArray k, NDArray v, float dropout) {
        NDArray p = Scalars.like(q, dropout);
        return module.forward(new NDList(q, k, v, p), true).singletonOrThrow();
    }

    @Override
    public void close() {
        module.close();
    }
}
