package dev.notebench.tokenize.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The versions this module was built with ({@code versions.properties}, filled in by Maven). */
public final class Versions {
    private static final Properties VERSIONS = load();

    private Versions() {
    }

    /**
     * Returns a version by key ({@code notebench}, {@code djl}, {@code sentencepiece}).
     *
     * @param key the key
     * @return the version, or {@code unknown}
     */
    public static String get(String key) {
        return VERSIONS.getProperty(key, "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/dev/notebench/tokenize/versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
