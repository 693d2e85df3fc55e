package dev.notebench.kernel.eval;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/** Installs the classes JShell compiles into a {@link CellClassLoader}. */
final class CellLoaderDelegate implements LoaderDelegate {
    private final CellClassLoader loader;
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

    CellLoaderDelegate(CellClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
        boolean[] installed = new boolean[cbcs.length];
        for (ClassBytecodes cbc : cbcs) {
            loader.declare(cbc.name(), cbc.bytecodes());
        }
        try {
            for (int i = 0; i < cbcs.length; i++) {
                Class<?> c = loader.loadClass(cbcs[i].name());
                classes.put(cbcs[i].name(), c);
                installed[i] = true;
                c.getDeclaredMethods(); // prepare it now, so a broken class fails here, not mid-cell
            }
        } catch (Throwable e) {
            throw new ClassInstallException("load: " + e.getMessage(), installed);
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] cbcs) {
        for (ClassBytecodes cbc : cbcs) {
            loader.declare(cbc.name(), cbc.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        try {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    loader.add(Path.of(entry));
                }
            }
        } catch (Exception e) {
            throw new InternalException("cannot add " + path + " to the classpath: " + e);
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = classes.get(name);
        if (c == null) {
            throw new ClassNotFoundException(name + " was not loaded by a cell");
        }
        return c;
    }
}
