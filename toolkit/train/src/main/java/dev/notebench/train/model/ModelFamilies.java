package dev.notebench.train.model;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Looks model families up by name among those on the classpath. */
public final class ModelFamilies {
    private ModelFamilies() {
    }

    /**
     * Returns every family visible to a class loader, by name.
     *
     * @param loader the loader to search
     */
    public static Map<String, ModelFamily> all(ClassLoader loader) {
        Map<String, ModelFamily> out = new TreeMap<>();
        for (ModelFamily f : ServiceLoader.load(ModelFamily.class, loader)) {
            out.putIfAbsent(f.name(), f);
        }
        return out;
    }

    /**
     * Returns the family of a name.
     *
     * @param name e.g. {@code gpt}
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} naming the known families
     */
    public static ModelFamily get(String name) {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        Map<String, ModelFamily> all = all(l != null ? l : ModelFamilies.class.getClassLoader());
        ModelFamily f = all.get(name);
        if (f == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "no model family '" + name + "'; known families: " + String.join(", ", all.keySet()));
        }
        return f;
    }
}
