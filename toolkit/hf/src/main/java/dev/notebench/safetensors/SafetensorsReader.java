package dev.notebench.safetensors;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The tensors of a safetensors checkpoint, one file or a sharded set, read from memory-mapped
 * files: nothing is read until a tensor is asked for, and F32 data is handed out without a copy.
 *
 * <p>Every tensor of a float type reads as little-endian F32 ({@link #f32(String)}): a read-only
 * view of the mapping where the file holds F32, a converted copy where it holds F16, BF16 or F64
 * (so BF16 never reaches an engine that cannot take it). The buffers handed out stay valid after
 * {@link #close()}; the mapped memory is released when they are no longer reachable.
 *
 * <pre>{@code
 * try (SafetensorsReader weights = SafetensorsReader.open(Path.of("Qwen2.5-0.5B"))) {
 *     weights.requireShapes(Map.of("lm_head.weight", new long[] {151936, 896}));
 *     ByteBuffer data = weights.f32("lm_head.weight"); // little-endian floats
 *     NDArray w = manager.create(data, new Shape(weights.info("lm_head.weight").shape()), DataType.FLOAT32);
 * }
 * }</pre>
 */
public interface SafetensorsReader extends AutoCloseable {
    /** The file name of a single-file checkpoint. */
    String MODEL_FILE = "model.safetensors";

    /** The file name of a sharded checkpoint's index. */
    String INDEX_FILE = "model.safetensors.index.json";

    /**
     * Opens a checkpoint: a {@code .safetensors} file, an index json, or a directory holding
     * {@value #INDEX_FILE} or {@value #MODEL_FILE} (the index wins when both are there, as in
     * transformers).
     *
     * @param path a file or a directory
     * @return the reader; close it
     * @throws NotebenchException DATA_NOT_FOUND when there is no checkpoint there, DATA_INVALID when
     *     a header or the index is malformed
     */
    static SafetensorsReader open(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(INDEX_FILE))) {
                return ShardedSafetensors.open(path.resolve(INDEX_FILE));
            }
            if (Files.isRegularFile(path.resolve(MODEL_FILE))) {
                return SafetensorsFile.open(path.resolve(MODEL_FILE));
            }
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "directory " + path + " has neither " + MODEL_FILE + " nor "
                    + INDEX_FILE + "; give a directory saved with save_pretrained(safe_serialization=True), or convert its"
                    + " .bin weights to safetensors");
        }
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".json")) {
            return ShardedSafetensors.open(path);
        }
        return SafetensorsFile.open(path);
    }

    /** Returns the names of all tensors, sorted. */
    SortedSet<String> names();

    /**
     * Returns a tensor's header entry.
     *
     * @param name the tensor's name
     * @return its type, shape and offsets
     * @throws NotebenchException DATA_NOT_FOUND when there is no such tensor
     */
    TensorInfo info(String name);

    /** Returns whether the checkpoint holds a tensor of that name. */
    default boolean contains(String name) {
        return names().contains(name);
    }

    /** Returns the {@code __metadata__} strings (of the first file for a sharded set); empty when none. */
    Map<String, String> metadata();

    /**
     * Returns a tensor's bytes as stored, a read-only little-endian view of the mapping.
     *
     * @param name the tensor's name
     * @return the bytes, position 0, limit its byte size
     * @throws NotebenchException DATA_NOT_FOUND for an unknown name, DATA_INVALID for a tensor over 2 GiB
     */
    ByteBuffer raw(String name);

    /**
     * Returns a tensor's values as little-endian F32 bytes: the mapping itself (read-only) for F32,
     * a converted direct buffer for F16, BF16 and F64.
     *
     * @param name the tensor's name
     * @return {@code 4 * elementCount} bytes, position 0, little-endian
     * @throws NotebenchException DATA_INVALID when the tensor is not of a float type or is over 2 GiB
     */
    ByteBuffer f32(String name);

    /**
     * Reads a run of a tensor's values as little-endian F32 into a buffer, with positional file
     * reads rather than a mapping: for a loader that copies a checkpoint into storage of its own
     * piece by piece, so that no page of the file stays mapped (and counted in the process's
     * resident memory) once it is copied, and any tensor, however large, passes through a small
     * buffer. F16, BF16 and F64 are converted as {@link #f32(String)} converts them.
     *
     * <pre>{@code
     * ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
     * for (long at = 0; at < info.elementCount(); ) {
     *     chunk.clear();
     *     at += weights.readF32("lm_head.weight", at, chunk); // chunk is flipped: position 0, limit what was read
     * }
     * }</pre>
     *
     * @param name the tensor's name
     * @param fromElement the first element to read, in row-major order
     * @param into receives the values from its position up to its limit, or to the tensor's end
     *     if that comes first; on return it is flipped (position 0, limit the bytes written)
     * @return how many elements were read
     * @throws NotebenchException DATA_NOT_FOUND for an unknown name, DATA_INVALID when the tensor
     *     is not of a float type or the file ends early
     * @throws IllegalArgumentException when {@code fromElement} is outside the tensor or the buffer
     *     has room for less than one value
     */
    long readF32(String name, long fromElement, ByteBuffer into);

    /**
     * Maps an F32 tensor copy-on-write ({@link java.nio.channels.FileChannel.MapMode#PRIVATE}):
     * the buffer reads the file's pages as they are touched, sharing them with the page cache, and
     * a write goes to a private copy of its page, never to the file. This is how PyTorch's
     * safetensors loading holds weights on the CPU, and it lets a model start at once and keep in
     * memory only the pages it uses. As with any mapping, the file must not be truncated or
     * rewritten in place while the buffer lives (Notebench and the Hugging Face hub replace files
     * by renaming, which is safe; writing over a loaded checkpoint from another program is not).
     *
     * @param name the tensor's name
     * @return the little-endian F32 bytes, or empty where the tensor is of another type, is empty
     *     or over 2 GiB, or the file cannot be mapped so (opening it for writing is refused, as
     *     on a read-only file system): read it with {@link #readF32} instead
     * @throws NotebenchException DATA_NOT_FOUND for an unknown name
     */
    Optional<ByteBuffer> mapCopyOnWrite(String name);

    /**
     * Returns a tensor's values as floats (a view of {@link #f32(String)}).
     *
     * @param name the tensor's name
     * @return the values in row-major order
     */
    default FloatBuffer floats(String name) {
        return f32(name).asFloatBuffer();
    }

    /**
     * Copies a tensor's values to a new array.
     *
     * @param name the tensor's name
     * @return the values in row-major order
     */
    default float[] toFloatArray(String name) {
        FloatBuffer b = floats(name);
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * Checks that the checkpoint holds exactly the tensors a model expects, with their shapes.
     *
     * @param expected each expected tensor's name and shape
     * @throws NotebenchException DATA_INVALID listing the missing and unexpected tensors and the
     *     shape mismatches (the first few of each by name, and how many in all)
     */
    default void requireShapes(Map<String, long[]> expected) {
        ShapeCheck.require(toString(), expected, this);
    }

    /** Releases the files; buffers handed out stay readable. */
    @Override
    void close();
}
