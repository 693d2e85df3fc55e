package dev.notebench.kernel.eval;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class loader of cell code: classes JShell compiles from cells, then jars and directories
 * added during the session, then (as parent) the kernel's own classpath. It is also the context
 * class loader of the threads that run cells, so {@link java.util.ServiceLoader} in cell and
 * toolkit code sees added jars.
 */
final class CellClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

    CellClassLoader(ClassLoader parent) {
        super("notebench-cells", new URL[0], parent);
    }

    void declare(String className, byte[] bytecodes) {
        declared.put(className, bytecodes);
    }

    void add(Path entry) throws MalformedURLException {
        addURL(entry.toUri().toURL());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = declared.get(name);
        if (bytes == null) {
            return super.findClass(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }
}
