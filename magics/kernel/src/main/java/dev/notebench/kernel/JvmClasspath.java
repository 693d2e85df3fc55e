package dev.notebench.kernel;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The classpath this JVM was started with, including the jars that jars on it name in their
 * manifest {@code Class-Path} (as launchers and test runners use them).
 */
public final class JvmClasspath {
    private JvmClasspath() {
    }

    /** Returns the absolute, normalized entries of {@code java.class.path}, expanded, in order. */
    public static List<Path> ofThisJvm() {
        Set<Path> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                expand(Path.of(e).toAbsolutePath().normalize(), out);
            }
        }
        return new ArrayList<>(out);
    }

    private static void expand(Path entry, Set<Path> out) {
        if (!out.add(entry) || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest m = jar.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (cp == null) {
                return;
            }
            for (String ref : cp.trim().split("\\s+")) {
                if (ref.isEmpty()) {
                    continue;
                }
                try {
                    URI uri = entry.getParent().toUri().resolve(ref);
                    if ("file".equals(uri.getScheme())) {
                        expand(Path.of(uri).normalize(), out);
                    }
                } catch (IllegalArgumentException ignored) {
                    // a malformed manifest entry names nothing we can use
                }
            }
        } catch (IOException ignored) {
            // not a jar: a plain file on the classpath contributes nothing more
        }
    }
}
