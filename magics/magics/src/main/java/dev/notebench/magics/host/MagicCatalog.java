package dev.notebench.magics.host;

import dev.notebench.magics.DeclaredMagics;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicOptions;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.RawLine;

import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers magics into basekernel's {@link Magics} registry (the one IJava uses) and keeps what
 * that registry does not: the names of the registered magics and their {@link MagicDoc} help.
 *
 * <pre>{@code
 * MagicCatalog catalog = new MagicCatalog(kernel.getMagics());
 * catalog.loadProviders(kernel, classLoader);       // every (Kernel)MagicsProvider on the classpath
 * catalog.find("maven").ifPresent(m -> System.out.println(m.usage()));
 * }</pre>
 */
public final class MagicCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MagicCatalog.class);

    private final Magics registry;
    private final Map<String, Entry> entries = new TreeMap<>();
    private final List<String> loadedProviders = new ArrayList<>();
    private final List<Object> registered = new ArrayList<>();

    /**
     * Creates a catalog over a registry.
     *
     * @param registry the kernel's magics registry
     */
    public MagicCatalog(Magics registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Returns the underlying basekernel registry. */
    public Magics registry() {
        return registry;
    }

    /**
     * Registers the annotated methods of {@code magics} and records their help.
     *
     * @param magics an object with {@code @LineMagic} / {@code @CellMagic} methods
     */
    public synchronized void register(Object magics) {
        registry.registerMagics(magics);
        registered.add(magics);
        for (Method m : magics.getClass().getDeclaredMethods()) {
            LineMagic line = m.getAnnotation(LineMagic.class);
            CellMagic cell = m.getAnnotation(CellMagic.class);
            if ((line == null && cell == null) || !Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            MagicDoc doc = m.getAnnotation(MagicDoc.class);
            boolean raw = m.isAnnotationPresent(RawLine.class);
            if (line != null) {
                String name = line.value().isEmpty() ? m.getName() : line.value();
                record(name, line.aliases(), true, raw, doc, declared(magics, name));
            }
            if (cell != null) {
                String name = cell.value().isEmpty() ? m.getName() : cell.value();
                record(name, cell.aliases(), false, false, doc, declared(magics, name));
            }
        }
    }

    /**
     * Creates and registers the magics of every {@link MagicsProvider} (a capability's) and every
     * {@link KernelMagicsProvider} (the kernel's own) visible to {@code loader} that was not loaded
     * before. A provider that fails is logged and skipped, so one broken jar cannot leave the
     * kernel without magics.
     *
     * @param kernel what the providers' magics may use
     * @param loader the class loader to search
     * @return the class names of the providers loaded by this call
     */
    public synchronized List<String> loadProviders(KernelContext kernel, ClassLoader loader) {
        List<String> loaded = new ArrayList<>();
        load(ServiceLoader.load(KernelMagicsProvider.class, loader), p -> p.create(kernel), loaded);
        load(ServiceLoader.load(MagicsProvider.class, loader), p -> p.create(kernel), loaded);
        return loaded;
    }

    private <P> void load(ServiceLoader<P> services, Function<P, Object> create, List<String> loaded) {
        for (var it = services.stream().iterator(); it.hasNext(); ) {
            ServiceLoader.Provider<P> p;
            try {
                p = it.next();
            } catch (ServiceConfigurationError e) {
                log.warn("skipping a magics provider that cannot be loaded: {}", e.getMessage());
                continue;
            }
            String name = p.type().getName();
            if (loadedProviders.contains(name)) {
                continue;
            }
            try {
                register(create.apply(p.get()));
                loadedProviders.add(name);
                loaded.add(name);
            } catch (RuntimeException | LinkageError e) {
                log.warn("skipping magics provider {}: {}", name, e.toString());
            }
        }
    }

    /**
     * Finds a magic by name, with or without its {@code %} or {@code %%} prefix.
     *
     * @param name the name
     * @return the entry, if registered through this catalog
     */
    public synchronized Optional<Entry> find(String name) {
        String n = name.startsWith("%%") ? name.substring(2) : name.startsWith("%") ? name.substring(1) : name;
        return Optional.ofNullable(entries.get(n));
    }

    /** Returns every magic registered through this catalog, sorted by name. */
    public synchronized Collection<Entry> all() {
        return List.copyOf(entries.values());
    }

    /**
     * Closes every registered magics object that is {@link AutoCloseable} (resolvers, caches),
     * logging rather than throwing failures so that all get their turn.
     */
    @Override
    public synchronized void close() {
        for (Object m : registered) {
            if (m instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("closing magics {} failed: {}", m.getClass().getName(), e.toString());
                }
            }
        }
        registered.clear();
    }

    private static MagicOptions declared(Object magics, String name) {
        return magics instanceof DeclaredMagics d ? d.syntax(name).orElse(null) : null;
    }

    private void record(String name, String[] aliases, boolean line, boolean raw, MagicDoc doc, MagicOptions syntax) {
        put(name, line, raw, doc, syntax, null);
        for (String alias : aliases) {
            put(alias, line, raw, doc, syntax, name);
        }
    }

    private void put(String name, boolean line, boolean raw, MagicDoc doc, MagicOptions syntax, String aliasOf) {
        Entry old = entries.get(name);
        boolean isLine = line || (old != null && old.line());
        boolean isCell = !line || (old != null && old.cell());
        String usage = syntax != null ? syntax.usage() : doc != null && !doc.usage().isEmpty() ? doc.usage()
                : (line ? "%" : "%%") + name;
        String options = syntax != null ? syntax.help() : "";
        String summary = doc != null ? doc.summary() : "No help was written for this magic.";
        String example = doc != null ? doc.example() : "";
        if (old != null && doc == null) {
            usage = old.usage();
            options = old.options();
            summary = old.summary();
            example = old.example();
        }
        boolean rawLine = line ? raw : old != null && old.rawLine();
        entries.put(name, new Entry(name, isLine, isCell, rawLine, usage, options, summary, example, aliasOf));
    }

    /**
     * One magic and its help.
     *
     * @param name the name without prefix
     * @param line whether it can be used as {@code %name}
     * @param cell whether it can be used as {@code %%name}
     * @param rawLine whether the line form takes the rest of its line verbatim ({@link RawLine})
     * @param usage the synopsis
     * @param options the option list, one option a line with its help, range and default; empty
     *                when the magic has no declared options ({@link DeclaredMagics})
     * @param summary one paragraph of help
     * @param example one example invocation
     * @param aliasOf the magic this name is an alias of, or {@code null}
     */
    public record Entry(String name, boolean line, boolean cell, boolean rawLine, String usage, String options, String summary,
                        String example, String aliasOf) {
    }
}
