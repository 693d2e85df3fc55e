package dev.notebench.magics.builtin;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.host.KernelMagicsProvider;
import dev.notebench.magics.host.KernelContext;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicsArgs;
import io.github.spencerpark.jupyter.kernel.util.GlobFinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code %jars} and {@code %classpath}, as in IJava: add jars or class directories, found by
 * glob, to the classpath of later cells. {@code %classpath} alone lists the classpath.
 */
public final class ClasspathMagics {
    static final String JARS_USAGE = "%jars GLOB...";
    static final String CLASSPATH_USAGE = "%classpath [GLOB...]";

    private static final MagicSyntax JARS = MagicSyntax.of("%jars", JARS_USAGE,
            MagicsArgs.builder().varargs("globs").onlyKnownKeywords().onlyKnownFlags().build());
    private static final MagicSyntax CLASSPATH = MagicSyntax.of("%classpath", CLASSPATH_USAGE,
            MagicsArgs.builder().varargs("globs").onlyKnownKeywords().onlyKnownFlags().build());

    private final KernelContext context;

    /**
     * Creates the magics.
     *
     * @param context the kernel
     */
    public ClasspathMagics(KernelContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Adds the jar files matching the globs.
     *
     * @param args globs, relative to the kernel's working directory
     * @return the absolute paths added
     */
    @LineMagic
    @MagicDoc(usage = JARS_USAGE,
            summary = "Adds every jar file matching the globs (relative to the notebook's directory; "
                    + "** matches any depth) to the classpath of the cells that follow. "
                    + "A glob that matches no jar is an error, and nothing is added.",
            example = "%jars lib/*.jar")
    public List<String> jars(List<String> args) {
        List<String> globs = JARS.parse(args).all("globs");
        if (globs.isEmpty()) {
            throw JARS.error("give at least one glob");
        }
        List<Path> jars = new ArrayList<>();
        for (String glob : globs) {
            List<Path> found = match(glob, true).stream()
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .collect(Collectors.toList());
            if (found.isEmpty()) {
                throw JARS.error("no jar file matches '" + glob + "' in " + cwd());
            }
            jars.addAll(found);
        }
        return add(jars);
    }

    /**
     * Adds the jars or directories matching the globs, or lists the classpath when none is given.
     *
     * @param args globs, relative to the kernel's working directory
     * @return the absolute paths added, or the whole classpath when no glob was given
     */
    @LineMagic
    @MagicDoc(usage = CLASSPATH_USAGE,
            summary = "Adds the jar files and class directories matching the globs to the classpath of the "
                    + "cells that follow. Without arguments, lists every entry cells can see: the kernel's "
                    + "own, then those added in this session.",
            example = "%classpath target/classes")
    public List<String> classpath(List<String> args) {
        List<String> globs = CLASSPATH.parse(args).all("globs");
        if (globs.isEmpty()) {
            List<Path> all = context.classpath();
            List<Path> added = context.addedClasspath();
            context.display().show(all.stream()
                    .map(p -> (added.contains(p) ? "+ " : "  ") + p)
                    .collect(Collectors.joining("\n", all.size() + " classpath entries (+ added in this session):\n", "")));
            return all.stream().map(Path::toString).collect(Collectors.toList());
        }
        List<Path> entries = new ArrayList<>();
        for (String glob : globs) {
            List<Path> found = match(glob, false);
            if (found.isEmpty()) {
                throw CLASSPATH.error("nothing matches '" + glob + "' in " + cwd());
            }
            entries.addAll(found);
        }
        return add(entries);
    }

    private List<String> add(List<Path> entries) {
        List<String> added = new ArrayList<>();
        for (Path p : entries) {
            Path abs = p.toAbsolutePath().normalize();
            if (!added.contains(abs.toString())) {
                context.addToClasspath(abs);
                added.add(abs.toString());
            }
        }
        context.display().show("Added " + added.size() + (added.size() == 1 ? " entry" : " entries")
                + " to the classpath:\n  " + String.join("\n  ", added));
        return added;
    }

    private static List<Path> match(String glob, boolean filesOnly) {
        Path literal = Path.of(glob);
        if (!glob.contains("*") && !glob.contains("?")) {
            if (!Files.exists(literal)) {
                return List.of();
            }
            return List.of(literal);
        }
        GlobFinder finder = new GlobFinder(glob);
        List<Path> out = new ArrayList<>();
        try {
            (filesOnly ? finder.computeMatchingFiles() : finder.computeMatchingPaths()).forEach(out::add);
        } catch (NoSuchFileException e) {
            return List.of(); // a directory in the glob does not exist: nothing matches
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the files matching '" + glob + "'", e);
        } catch (RuntimeException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "cannot use '" + glob + "' as a glob: " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static Path cwd() {
        return Path.of("").toAbsolutePath();
    }

    /** Finds {@link ClasspathMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements KernelMagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(KernelContext context) {
            return new ClasspathMagics(context);
        }
    }
}
