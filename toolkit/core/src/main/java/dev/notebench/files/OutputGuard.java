package dev.notebench.files;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The files one command reads and writes, checked before anything is read: an output that is,
 * or resolves to (through {@code ..}, symbolic links or hard links), one of the command's inputs
 * is refused, and so are two outputs that are the same file, each with one line naming both.
 * An output directory (a tokenizer artifact, a run) may not hold an input either, since writing
 * it replaces what is inside. Each output's directory must also take a new file, so a job that
 * would fail at its end for a read-only directory fails at its start.
 *
 * <pre>{@code
 * OutputGuard.builder()
 *     .input("--input", input)
 *     .input("--patterns", patterns)
 *     .output("--out", out)
 *     .output("--graphml", graphml)
 *     .build()
 *     .check();
 * }</pre>
 *
 * <p>Labels are what the user typed to name the file (an option such as {@code --out}, or a
 * manifest field), so the message points at what to change. Null paths are skipped: optional
 * options can be passed as they are.
 */
public final class OutputGuard {
    private record Role(String label, Path path, boolean directory) {
    }

    private final List<Role> inputs;
    private final List<Role> outputs;

    private OutputGuard(Builder b) {
        this.inputs = List.copyOf(b.inputs);
        this.outputs = List.copyOf(b.outputs);
    }

    /** A guard with no files yet. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Refuses outputs that would overwrite an input or each other, or that cannot be written.
     *
     * @throws NotebenchException CONFIG_INVALID naming the two files, or ACCESS_DENIED naming the directory
     */
    public void check() {
        for (int i = 0; i < outputs.size(); i++) {
            Role out = outputs.get(i);
            for (Role in : inputs) {
                if (out.directory() ? contains(out.path(), in.path()) : same(out.path(), in.path())) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, describe(out) + (out.directory() && !same(out.path(),
                            in.path()) ? " holds " : " is the same file as ") + describe(in) + "; writing it would destroy the input:"
                            + " give " + out.label() + " another path");
                }
            }
            for (int j = 0; j < i; j++) {
                Role other = outputs.get(j);
                if (same(out.path(), other.path())) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, describe(out) + " is the same file as " + describe(other)
                            + "; one would overwrite the other: give them different paths");
                }
            }
        }
        for (Role out : outputs) {
            probeWritable(out);
        }
    }

    private static String describe(Role r) {
        return r.label() + " " + r.path();
    }

    private static void probeWritable(Role out) {
        Path target = canonical(out.path());
        if (!out.directory() && Files.isDirectory(target)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, out.label() + " " + out.path() + " is a directory; give a file name");
        }
        if (out.directory() && Files.exists(target) && !Files.isDirectory(target)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, out.label() + " " + out.path() + " is a file; give a directory");
        }
        Path dir = out.directory() && Files.isDirectory(target) ? target : target.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, out.label() + " " + out.path() + " cannot be written: " + dir
                    + " is a file, not a directory");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".notebench-probe-", ".tmp"));
        } catch (IOException e) {
            // name the directory that refuses new files, not the probe
            throw FileErrors.of("write " + out.label() + " " + out.path(), dir, new java.nio.file.FileSystemException(dir.toString(),
                    null, e instanceof java.nio.file.AccessDeniedException ? "Permission denied" : String.valueOf(e.getMessage())));
        }
    }

    /**
     * Where a path leads: the real path of what exists of it, symbolic links followed (also a
     * dangling one), and the rest appended. Two paths with the same canonical form name the same file.
     *
     * @param path any path, relative to the working directory or absolute
     * @return the absolute, normalized path with links resolved
     */
    public static Path canonical(Path path) {
        return canonical(path.toAbsolutePath().normalize(), 0);
    }

    private static Path canonical(Path p, int depth) {
        try {
            if (Files.exists(p)) {
                return p.toRealPath();
            }
            if (depth < 40 && Files.isSymbolicLink(p)) {
                Path link = Files.readSymbolicLink(p);
                Path parent = p.getParent();
                return canonical((parent == null ? link : parent.resolve(link)).toAbsolutePath().normalize(), depth + 1);
            }
        } catch (IOException e) {
            // unreadable: fall back to the path as written, which is what the user named
            return p;
        }
        Path parent = p.getParent();
        if (parent == null || p.getFileName() == null) {
            return p;
        }
        return canonical(parent, depth).resolve(p.getFileName());
    }

    private static boolean same(Path a, Path b) {
        if (Files.exists(a) && Files.exists(b)) {
            try {
                return Files.isSameFile(a, b);
            } catch (IOException e) {
                return canonical(a).equals(canonical(b));
            }
        }
        return canonical(a).equals(canonical(b));
    }

    private static boolean contains(Path dir, Path file) {
        return same(dir, file) || canonical(file).startsWith(canonical(dir));
    }

    /** Collects the files of one command. */
    public static final class Builder {
        private final List<Role> inputs = new ArrayList<>();
        private final List<Role> outputs = new ArrayList<>();

        private Builder() {
        }

        /**
         * A file or directory the command reads.
         *
         * @param label the option or field that named it, e.g. {@code --input}
         * @param path the path, or null when the option was not given
         * @return this builder
         */
        public Builder input(String label, Path path) {
            if (path != null) {
                inputs.add(new Role(Objects.requireNonNull(label, "label"), path, false));
            }
            return this;
        }

        /**
         * Several files the command reads under one label (a corpus glob's matches).
         *
         * @param label the option or field that named them
         * @param paths the paths
         * @return this builder
         */
        public Builder inputs(String label, Iterable<Path> paths) {
            for (Path p : paths) {
                input(label, p);
            }
            return this;
        }

        /**
         * A file the command writes.
         *
         * @param label the option or field that named it, e.g. {@code --out}
         * @param path the path, or null when the option was not given
         * @return this builder
         */
        public Builder output(String label, Path path) {
            if (path != null) {
                outputs.add(new Role(Objects.requireNonNull(label, "label"), path, false));
            }
            return this;
        }

        /**
         * A directory the command writes as a whole (an artifact, a run): no input may be inside it.
         *
         * @param label the option or field that named it
         * @param path the path, or null when the option was not given
         * @return this builder
         */
        public Builder outputDirectory(String label, Path path) {
            if (path != null) {
                outputs.add(new Role(Objects.requireNonNull(label, "label"), path, true));
            }
            return this;
        }

        /** The guard; {@link OutputGuard#check()} checks it. */
        public OutputGuard build() {
            return new OutputGuard(this);
        }
    }
}
