package dev.notebench.train.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Causal self-attention through PyTorch's {@code scaled_dot_product_attention}, which DJL does not
 * expose: on the CPU it is one fused kernel (blocks of queries against blocks of keys, skipping
 * the blocks above the diagonal, no (T, T) matrix in memory) for the forward and one for the
 * backward, where the explicit form takes a matrix product, a mask, a softmax and a second
 * product, each a pass over B·H·T² numbers. DJL does run TorchScript modules, with autograd, so
 * this class writes a one-function TorchScript module (its source and the pickled module object,
 * in PyTorch's archive format) in memory and loads it through DJL.
 *
 * <p>Owns the loaded module: {@link #close()} frees it.
 */
final class FusedAttention implements AutoCloseable {
    /** The module's TorchScript source, compiled by libtorch when the archive is loaded. */
    static final String SOURCE = """
            class CausalAttention(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.CausalAttention,
                q: Tensor,
                k: Tensor,
                v: Tensor,
                dropout: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, float(dropout), True)
            """;

    private static final Logger LOG = LoggerFactory.getLogger(FusedAttention.class);
    private final PtSymbolBlock module;

    private FusedAttention(PtSymbolBlock module) {
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
        try {
            return new FusedAttention(JniUtils.loadModule(manager, new ByteArrayInputStream(archive()), true, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return IValueUtils.forward(module, new NDList(q, k, v, p), true).singletonOrThrow();
    }

    @Override
    public void close() {
        module.close();
    }

    /**
     * The module as a TorchScript archive (a zip of {@code version}, {@code byteorder}, the
     * pickled module object, its constants and its source), format version 3.
     */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "attention/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "attention/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "attention/data.pkl", moduleObject());
            stored(zip, "attention/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            stored(zip, "attention/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /**
     * The pickle (protocol 2) of a {@code __torch__.CausalAttention} object whose only attribute is
     * {@code training = False}: GLOBAL, EMPTY_TUPLE, NEWOBJ, then a dict of the attributes for BUILD.
     */
    private static byte[] moduleObject() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO 2
        p.write(2);
        p.writeBytes("c__torch__\nCausalAttention\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
        p.writeBytes(key);
        p.write(0x89); // NEWFALSE
        p.write('s'); // SETITEM
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
