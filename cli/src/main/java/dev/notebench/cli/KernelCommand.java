package dev.notebench.cli;

import dev.notebench.kernel.JvmClasspath;
import dev.notebench.kernel.install.KernelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./notebench kernel install|uninstall}. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Install or remove the Notebench Java kernel for Jupyter.",
        subcommands = {KernelCommand.Install.class, KernelCommand.Uninstall.class})
final class KernelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give install or uninstall; --help explains them");
    }

    /** Where a kernelspec goes. */
    static final class Location {
        @Option(names = "--user", description = "Install for the current user (default): $JUPYTER_DATA_DIR/kernels or ~/.local/share/jupyter/kernels.")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR", description = "Install under DIR/share/jupyter/kernels, e.g. a virtual environment.")
        Path prefix;

        static Path kernelsDir(Location l) {
            return l == null || l.prefix == null ? KernelSpec.userKernelsDir() : KernelSpec.prefixKernelsDir(l.prefix);
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Write a kernelspec that runs the Notebench kernel with the toolkit on its classpath.",
                    "The jars are copied into the kernelspec, so it keeps working after a clean build."})
    static final class Install implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Location location;

        @Option(names = "--name", defaultValue = KernelSpec.DEFAULT_NAME, description = "Kernel name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--display-name", defaultValue = KernelSpec.DEFAULT_DISPLAY_NAME,
                description = "Name shown in Jupyter (default: ${DEFAULT-VALUE}).")
        String displayName;

        @Option(names = "--jvm-opt", paramLabel = "OPTION",
                description = "A JVM option for the kernel, e.g. --jvm-opt=-Xmx8g; repeatable.")
        List<String> jvmOptions = new ArrayList<>();

        @Option(names = "--djl-cache", paramLabel = "DIR",
                description = "Where DJL keeps its native libraries (default: ~/.cache/notebench/djl).")
        Path djlCache;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path dir = install(Location.kernelsDir(location), name, displayName, jvmOptions, djlCache);
            spec.commandLine().getOut().println("Installed kernel '" + name + "' in " + dir);
            return 0;
        }

        static Path install(Path kernelsDir, String name, String displayName, List<String> jvmOptions, Path djlCache) {
            Path cache = djlCache != null ? djlCache
                    : KernelSpec.userHome().resolve(".cache/notebench/djl");
            KernelSpec.Builder b = KernelSpec.builder(kernelsDir, JvmClasspath.ofThisJvm())
                    .name(name)
                    .displayName(displayName)
                    .env("DJL_CACHE_DIR", cache.toAbsolutePath().toString());
            jvmOptions.forEach(b::jvmOption);
            return b.build().install();
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Remove an installed Notebench kernelspec.")
    static final class Uninstall implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Location location;

        @Option(names = "--name", defaultValue = KernelSpec.DEFAULT_NAME, description = "Kernel name (default: ${DEFAULT-VALUE}).")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path kernels = Location.kernelsDir(location);
            if (KernelSpec.uninstall(kernels, name)) {
                spec.commandLine().getOut().println("Removed kernel '" + name + "' from " + kernels);
                return 0;
            }
            spec.commandLine().getErr().println("notebench: no kernel '" + name + "' in " + kernels
                    + "; `jupyter kernelspec list` shows where kernels are installed");
            return 1;
        }
    }
}
