package dev.notebench.safetensors;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.FileErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One {@code .safetensors} file, its header read and checked on opening and each tensor mapped on
 * demand in its own window: files over 2 GiB read as any other, and only the tensors asked for are
 * paged in.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("model.safetensors"))) {
 *     float[] bias = f.toFloatArray("model.norm.weight");
 * }
 * }</pre>
 */
public final class SafetensorsFile implements SafetensorsReader {
    private final Path file;
    private final FileChannel channel;
    private final Header header;
    private volatile boolean closed;
    /** The channel copy-on-write mappings need (opened for writing, never written); null until asked for. */
    private FileChannel privateChannel;
    private boolean privateRefused;

    private SafetensorsFile(Path file, FileChannel channel, Header header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
    }

    /**
     * Opens a file and checks its header: the length, the JSON, each tensor's dtype, shape and
     * offsets (inside the file, not overlapping, exactly shape × dtype bytes).
     *
     * @param file the {@code .safetensors} file
     * @return the open file; close it
     * @throws NotebenchException DATA_NOT_FOUND when missing, DATA_INVALID naming the file, the tensor
     *     and what is wrong with the header
     */
    public static SafetensorsFile open(Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            ByteBuffer first = ByteBuffer.allocate(8);
            readFully(ch, first, 0);
            long n = Header.headerLength(file, first, size);
            ByteBuffer json = ByteBuffer.allocate((int) n);
            readFully(ch, json, 8);
            Header header = Header.parse(file, json.array(), size);
            SafetensorsFile opened = new SafetensorsFile(file, ch, header);
            ch = null;
            return opened;
        } catch (IOException e) {
            throw FileErrors.of("read safetensors file " + file, file, e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the failure being thrown says more
                }
            }
        }
    }

    /** Reads from {@code position} until the buffer is full or the file ends, then flips it; returns whether it filled. */
    private static boolean readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = ch.read(into, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        boolean full = !into.hasRemaining();
        into.flip();
        return full;
    }

    /** Returns the file this reads. */
    public Path file() {
        return file;
    }

    /** Returns the byte offset in the file where the data section starts (8 plus the header length). */
    public long dataStart() {
        return header.dataStart;
    }

    @Override
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(header.tensors.keySet()));
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo t = header.tensors.get(name);
        if (t == null) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "safetensors file " + file + " has no tensor '" + name
                    + "'; its tensors are listed by names()");
        }
        return t;
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata;
    }

    @Override
    public ByteBuffer raw(String name) {
        TensorInfo t = info(name);
        if (closed) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "safetensors file " + file + " is closed; read '" + name
                    + "' before closing it");
        }
        if (t.byteSize() > Integer.MAX_VALUE) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "tensor '" + name + "' of " + file + " has " + t.byteSize()
                    + " bytes, more than one buffer can hold (2 GiB); it cannot be read as one array");
        }
        if (t.byteSize() == 0) {
            return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart + t.begin(), t.byteSize())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw FileErrors.of("map tensor '" + name + "' of " + file, file, e);
        }
    }

    @Override
    public ByteBuffer f32(String name) {
        TensorInfo t = info(name);
        if (!t.dtype().readsAsFloat()) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "tensor '" + name + "' of " + file + " is " + t.dtype()
                    + ", not a float type; read its bytes with raw(\"" + name + "\") instead");
        }
        if (t.elementCount() > Integer.MAX_VALUE / 4) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "tensor '" + name + "' of " + file + " has "
                    + t.elementCount() + " elements, more than one F32 buffer can hold (2 GiB); it cannot be read as one array");
        }
        return FloatConversion.toF32(t.dtype(), raw(name), t.elementCount());
    }

    @Override
    public Optional<ByteBuffer> mapCopyOnWrite(String name) {
        TensorInfo t = info(name);
        if (t.dtype() != DType.F32 || t.byteSize() == 0 || t.byteSize() > Integer.MAX_VALUE || closed) {
            return Optional.empty();
        }
        FileChannel ch = privateChannel();
        if (ch == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ch.map(FileChannel.MapMode.PRIVATE, header.dataStart + t.begin(), t.byteSize())
                    .order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            return Optional.empty(); // e.g. no address space left: the caller copies instead
        }
    }

    /** A channel that may map PRIVATE (Java asks for read and write access), or null where the file refuses it. */
    private synchronized FileChannel privateChannel() {
        if (privateChannel == null && !privateRefused) {
            try {
                privateChannel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                privateRefused = true;
            }
        }
        return privateChannel;
    }

    @Override
    public long readF32(String name, long fromElement, ByteBuffer into) {
        TensorInfo t = info(name);
        if (!t.dtype().readsAsFloat()) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "tensor '" + name + "' of " + file + " is " + t.dtype()
                    + ", not a float type; read its bytes with raw(\"" + name + "\") instead");
        }
        if (fromElement < 0 || fromElement > t.elementCount()) {
            throw new IllegalArgumentException("element " + fromElement + " is outside tensor '" + name + "' ("
                    + t.elementCount() + " elements)");
        }
        if (into.remaining() < 4 && fromElement < t.elementCount()) {
            throw new IllegalArgumentException("the buffer has room for no F32 value (" + into.remaining() + " bytes left)");
        }
        int count = (int) Math.min(into.remaining() / 4, t.elementCount() - fromElement);
        int size = t.dtype().byteSize();
        long at = header.dataStart + t.begin() + fromElement * size;
        ByteBuffer target = into.slice().order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (t.dtype() == DType.F32) {
                target.limit(count * 4);
                readExactly(target, at, name);
            } else {
                ByteBuffer stored = ByteBuffer.allocate(count * size).order(ByteOrder.LITTLE_ENDIAN);
                readExactly(stored, at, name);
                FloatConversion.convert(t.dtype(), stored, target, count);
            }
        } catch (IOException e) {
            throw FileErrors.of("read tensor '" + name + "' of " + file, file, e);
        }
        into.position(into.position() + count * 4);
        into.flip();
        return count;
    }

    private void readExactly(ByteBuffer into, long position, String name) throws IOException {
        if (closed) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "safetensors file " + file + " is closed; read '" + name
                    + "' before closing it");
        }
        if (!readFully(channel, into, position)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "safetensors file " + file + " ends inside tensor '"
                    + name + "'; the file is truncated (download it again)");
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            synchronized (this) {
                if (privateChannel != null) {
                    privateChannel.close();
                }
            }
            channel.close();
        } catch (IOException e) {
            throw FileErrors.of("close " + file, file, e);
        }
    }

    @Override
    public String toString() {
        return "safetensors file " + file;
    }
}
