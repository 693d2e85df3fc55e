package dev.notebench.kernel.install;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import com.google.gson.GsonBuilder;
import dev.notebench.kernel.KernelMain;
import dev.notebench.kernel.agent.KernelAgent;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Jupyter kernelspec for the Notebench kernel: {@code kernel.json} plus a {@code lib/} folder
 * with copies of the jars the kernel runs from, so the installed kernel keeps working after the
 * build directory is cleaned.
 *
 * <pre>{@code
 * Path dir = KernelSpec.builder(KernelSpec.userKernelsDir(), classpath)
 *         .jvmOption("-Xmx8g")
 *         .build()
 *         .install();   // ~/.local/share/jupyter/kernels/notebench
 * }</pre>
 */
public final class KernelSpec {
    /** The default kernel name (the directory under {@code kernels/}). */
    public static final String DEFAULT_NAME = "notebench";
    /** The default name shown in Jupyter's launcher and kernel menus. */
    public static final String DEFAULT_DISPLAY_NAME = "Java (Notebench)";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    private final Path kernelsDir;
    private final String name;
    private final String displayName;
    private final Path java;
    private final List<Path> classpath;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    /** The jar on the classpath that is the kernel's agent, or {@code null}. */
    private final Path agentJar;

    private KernelSpec(Builder b) {
        this.kernelsDir = b.kernelsDir;
        this.name = b.name;
        this.displayName = b.displayName;
        this.java = b.java;
        this.classpath = List.copyOf(b.classpath);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.env = Map.copyOf(b.env);
        this.agentJar = classpath.stream().filter(KernelSpec::isKernelAgent).findFirst().orElse(null);
    }

    /**
     * Starts a kernelspec.
     *
     * @param kernelsDir the {@code kernels} directory to install into (see {@link #userKernelsDir()}
     *     and {@link #prefixKernelsDir(Path)})
     * @param classpath the jars and directories the kernel runs from
     * @return a builder with the default name, this JVM's {@code java}, and the toolkit's JVM options
     */
    public static Builder builder(Path kernelsDir, List<Path> classpath) {
        return new Builder(kernelsDir, classpath);
    }

    /**
     * Returns the user's Jupyter kernels directory: {@code $JUPYTER_DATA_DIR/kernels}, else the
     * platform's default ({@code ~/.local/share/jupyter/kernels} on Linux).
     */
    public static Path userKernelsDir() {
        String dataDir = System.getenv("JUPYTER_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir, "kernels");
        }
        Path home = userHome();
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return home.resolve("Library/Jupyter/kernels");
        }
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return Path.of(appData == null ? home.toString() : appData, "jupyter", "kernels");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg == null || xdg.isBlank() ? home.resolve(".local/share") : Path.of(xdg);
        return data.resolve("jupyter/kernels");
    }

    /**
     * Returns the user's home as Jupyter sees it: {@code $HOME} when set (Python's
     * {@code expanduser}), else Java's {@code user.home} (which comes from the password database
     * and ignores {@code $HOME}).
     */
    public static Path userHome() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /**
     * Returns the kernels directory under an installation prefix, as {@code jupyter kernelspec
     * install --prefix} uses it: {@code PREFIX/share/jupyter/kernels}.
     *
     * @param prefix the prefix, e.g. a virtual environment
     */
    public static Path prefixKernelsDir(Path prefix) {
        return prefix.resolve("share/jupyter/kernels");
    }

    /** Returns the directory this spec installs into. */
    public Path directory() {
        return kernelsDir.resolve(name);
    }

    /**
     * Returns the command line the kernel runs with, {@code {connection_file}} last. When the
     * classpath has the kernel's jar, it is also the JVM's agent ({@code -javaagent}), which keeps
     * {@code System.exit} in a cell from ending the kernel.
     */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.addAll(jvmOptions);
        if (agentJar != null) {
            argv.add("-javaagent:" + directory().resolve("lib").resolve(jarNames().get(agentJar)));
        }
        argv.add("-cp");
        argv.add(String.join(File.pathSeparator, installedClasspath().stream().map(Path::toString).toList()));
        argv.add(KernelMain.class.getName());
        argv.add("{connection_file}");
        return argv;
    }

    /** Returns the {@code kernel.json} text. */
    public String kernelJson() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv());
        spec.put("display_name", displayName);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", new TreeMap<>(env));
        spec.put("metadata", Map.of("debugger", false));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
    }

    /**
     * Writes the kernelspec, replacing an earlier install of the same name.
     *
     * @return the kernelspec directory
     * @throws NotebenchException with {@link ErrorCode#KERNEL_FAILED} when it cannot be written
     */
    public Path install() {
        Path dir = directory();
        try {
            Path staging = Files.createDirectories(kernelsDir).resolve("." + name + ".installing");
            deleteTree(staging);
            Path lib = Files.createDirectories(staging.resolve("lib"));
            for (Map.Entry<Path, String> e : jarNames().entrySet()) {
                Files.copy(e.getKey(), lib.resolve(e.getValue()), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(staging.resolve("kernel.json"), kernelJson());
            deleteTree(dir);
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException | UncheckedIOException e) {
            throw new NotebenchException(ErrorCode.KERNEL_FAILED,
                    "cannot install the kernel into " + dir + ": " + e.getMessage()
                            + "; check that the directory is writable, or use --prefix or --user", e);
        }
    }

    /**
     * Removes an installed kernelspec.
     *
     * @param kernelsDir the {@code kernels} directory
     * @param name the kernel name
     * @return whether there was one to remove
     */
    public static boolean uninstall(Path kernelsDir, String name) {
        checkName(name);
        Path dir = kernelsDir.resolve(name);
        if (!Files.isRegularFile(dir.resolve("kernel.json"))) {
            return false;
        }
        try {
            deleteTree(dir);
            return true;
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.KERNEL_FAILED, "cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isKernelAgent(Path entry) {
        if (!Files.isRegularFile(entry)) {
            return false;
        }
        try (JarFile jar = new JarFile(entry.toFile(), false)) {
            Manifest m = jar.getManifest();
            return m != null && KernelAgent.class.getName().equals(m.getMainAttributes().getValue("Premain-Class"));
        } catch (IOException e) {
            return false; // not a jar: nothing to run as an agent
        }
    }

    private List<Path> installedClasspath() {
        Map<Path, String> jars = jarNames();
        List<Path> out = new ArrayList<>();
        for (Path p : classpath) {
            String jar = jars.get(p);
            out.add(jar != null ? directory().resolve("lib").resolve(jar) : p.toAbsolutePath());
        }
        return out;
    }

    /** Jar files get copied under a unique name; directories stay where they are. */
    private Map<Path, String> jarNames() {
        Map<Path, String> names = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (Path p : classpath) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            String base = p.getFileName().toString();
            String n = base;
            for (int k = 2; !taken.add(n); k++) {
                n = k + "-" + base;
            }
            names.put(p, n);
        }
        return names;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (DirectoryNotEmptyException e) {
                    throw new IOException(p + " changed while it was being removed", e);
                }
            }
        }
    }

    private static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "kernel name '" + name + "' may only have letters, digits, '.', '_' and '-'");
        }
        return name;
    }

    /** Configures a {@link KernelSpec}. */
    public static final class Builder {
        private final Path kernelsDir;
        private final List<Path> classpath;
        private String name = DEFAULT_NAME;
        private String displayName = DEFAULT_DISPLAY_NAME;
        private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(Path kernelsDir, List<Path> classpath) {
            this.kernelsDir = Objects.requireNonNull(kernelsDir, "kernelsDir").toAbsolutePath();
            this.classpath = new ArrayList<>();
            for (Path p : classpath) {
                if (!Files.exists(p)) {
                    throw new NotebenchException(ErrorCode.DATA_NOT_FOUND,
                            "classpath entry " + p + " does not exist; build the project first (./mvnw install)");
                }
                this.classpath.add(p.toAbsolutePath().normalize());
            }
            jvmOptions.add("-Dai.djl.offline=true");
        }

        /**
         * Sets the kernel name (the directory under {@code kernels/}).
         *
         * @param name letters, digits, '.', '_' and '-'
         */
        public Builder name(String name) {
            this.name = checkName(name);
            return this;
        }

        /**
         * Sets the name Jupyter shows.
         *
         * @param displayName the name
         */
        public Builder displayName(String displayName) {
            this.displayName = Objects.requireNonNull(displayName, "displayName");
            return this;
        }

        /**
         * Sets the {@code java} executable; it must belong to a JDK (JShell needs the compiler).
         *
         * @param java the executable
         */
        public Builder java(Path java) {
            this.java = Objects.requireNonNull(java, "java");
            return this;
        }

        /**
         * Adds a JVM option, e.g. {@code -Xmx8g} or {@code -Dai.djl.pytorch.num_threads=2}.
         *
         * @param option the option
         */
        public Builder jvmOption(String option) {
            this.jvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /**
         * Sets an environment variable of the kernel process, e.g. {@code DJL_CACHE_DIR}.
         *
         * @param name the variable
         * @param value its value
         */
        public Builder env(String name, String value) {
            this.env.put(name, value);
            return this;
        }

        /** Returns the kernelspec; nothing is written until {@link KernelSpec#install()}. */
        public KernelSpec build() {
            if (!Files.isExecutable(java)) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                        java + " is not an executable java; give the java of a JDK 17 or later");
            }
            Path javac = java.resolveSibling(java.getFileName().toString().replace("java", "javac"));
            if (!Files.exists(javac)) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                        java + " belongs to a JRE; the kernel compiles cells with JShell and needs a JDK 17 or later");
            }
            return new KernelSpec(this);
        }
    }
}
