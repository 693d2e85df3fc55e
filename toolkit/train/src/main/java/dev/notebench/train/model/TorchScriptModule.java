package dev.notebench.train.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
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

/**
 * A TorchScript module compiled by libtorch from its source, without Python: the source and a
 * pickled module object are written in memory as a TorchScript archive and loaded through DJL,
 * which runs the module (with autograd where it is on). What DJL's operators cannot say in one
 * call (PyTorch's fused attention, a whole decode step of a model) is written once in
 * TorchScript and called as one operation.
 *
 * <p>The source is what {@code torch.jit.save} writes as {@code code/__torch__.py}: one class
 * {@code className(Module)} with {@code __parameters__ = []}, {@code __buffers__ = []},
 * {@code training : bool} (written here) and its methods (given, indented by two spaces), each
 * typed ({@code self: __torch__.className}), operators spelled as aten's ({@code torch.linear},
 * {@code torch.slice}, ...).
 *
 * <pre>{@code
 * String methods = """
 *       def forward(self: __torch__.Twice,
 *         x: Tensor) -> Tensor:
 *         return torch.mul(x, 2)
 *     """;
 * try (TorchScriptModule m = TorchScriptModule.compile("Twice", methods, manager)) {
 *     NDArray y = m.forward(new NDList(x), false).singletonOrThrow();
 * }
 * }</pre>
 *
 * <p>Owns the loaded module: {@link #close()} frees it.
 */
final class TorchScriptModule implements AutoCloseable {
    /**
     * The archive's format version: 10 is the first under which libtorch reads operators with
     * their current signatures ({@code gelu(x, approximate=...)}); under older versions it applies
     * its upgraders and refuses newer arguments.
     */
    static final String VERSION = "10";
    /** DJL's setting of libtorch's graph optimizer ({@code ai.djl.pytorch.graph_optimizer}), put back after a {@link #call}. */
    private static final boolean ENGINE_OPTIMIZES = Boolean.parseBoolean(System.getProperty("ai.djl.pytorch.graph_optimizer", "true"));
    private final PtSymbolBlock module;

    private TorchScriptModule(PtSymbolBlock module) {
        this.module = module;
    }

    /**
     * Compiles and loads a module.
     *
     * @param className the module's class
     * @param methods the class's methods in TorchScript, indented by two spaces
     * @param manager owns the module
     * @return the module
     * @throws EngineException when libtorch refuses the source
     */
    static TorchScriptModule compile(String className, String methods, PtNDManager manager) {
        try {
            byte[] archive = archive(className, methods);
            return new TorchScriptModule(JniUtils.loadModule(manager, new ByteArrayInputStream(archive), true, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code forward} on tensors.
     *
     * @param inputs its arguments, all tensors
     * @param training whether autograd may record the call
     * @return its result, in the manager of the first input
     */
    NDList forward(NDList inputs, boolean training) {
        return IValueUtils.forward(module, inputs, training);
    }

    /**
     * Runs a method on any arguments and returns the tensor it returns, with libtorch's graph
     * optimizer off for the call (on this thread, where libtorch keeps the setting): the profiling
     * executor would specialize the graph to the shapes of its first calls and fall back or
     * respecialize as a key/value cache grows, where the plain interpreter runs every step alike
     * (measured on GPT-2's shapes on a loaded machine: steps no slower, prompts faster).
     *
     * @param method the method's name
     * @param out the manager of the result
     * @param inputs its arguments, still the caller's to close
     * @return the result, in {@code out}
     */
    NDArray call(String method, PtNDManager out, IValue... inputs) {
        JniUtils.setGraphExecutorOptimize(false);
        try (IValue result = IValueUtils.runMethod(module, method, inputs)) {
            return result.toTensor(out);
        } finally {
            JniUtils.setGraphExecutorOptimize(ENGINE_OPTIMIZES);
        }
    }

    @Override
    public void close() {
        module.close();
    }

    /**
     * The module as a TorchScript archive: a zip of {@code version}, {@code byteorder}, the
     * pickled module object, its constants (none) and its source, under a folder named after the
     * class.
     *
     * @param className the module's class
     * @param methods its methods, indented by two spaces
     * @return the archive's bytes
     * @throws IOException never, in memory
     */
    static byte[] archive(String className, String methods) throws IOException {
        String source = "class " + className + "(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n" + methods;
        String folder = className.toLowerCase(java.util.Locale.ROOT) + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, folder + "version", (VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            stored(zip, folder + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            stored(zip, folder + "data.pkl", moduleObject(className));
            stored(zip, folder + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            stored(zip, folder + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /**
     * The pickle (protocol 2) of a {@code __torch__.className} object whose only attribute is
     * {@code training = False}: GLOBAL, EMPTY_TUPLE, NEWOBJ, then a dict of the attributes for BUILD.
     */
    private static byte[] moduleObject(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO 2
        p.write(2);
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
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
