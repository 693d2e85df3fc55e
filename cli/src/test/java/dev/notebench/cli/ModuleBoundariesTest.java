package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module rules of ARCHITECTURE.md, read from the source tree: libraries know nothing of the
 * kernel, the command line imports no magic class, magics see only the thin API, and native
 * libraries are the application's choice.
 */
class ModuleBoundariesTest {
    private static final Path ROOT = Path.of(System.getProperty("notebench.home", "..")).toAbsolutePath().normalize();
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    /** The library modules: every toolkit module but the magics beside them. */
    private static List<Path> libraries() {
        try (Stream<Path> s = Files.list(ROOT.resolve("toolkit"))) {
            return s.filter(p -> Files.isRegularFile(p.resolve("pom.xml")) && !p.getFileName().toString().endsWith("-magics"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> magicModules() {
        try (Stream<Path> s = Files.list(ROOT.resolve("toolkit"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("-magics")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports of a module's main sources that start with one of the prefixes: "File.java imports x.y.Z". */
    private static List<String> imports(Path module, String... prefixes) {
        Path src = module.resolve("src/main/java");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    for (String prefix : prefixes) {
                        if (m.group(1).startsWith(prefix)) {
                            found.add(ROOT.relativize(f) + " imports " + m.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** A module's dependencies as "artifactId scope" (scope "compile" when none is given, "optional" when optional). */
    private static Map<String, String> dependencies(Path module) {
        Map<String, String> out = new TreeMap<>();
        try {
            String pom = Files.readString(module.resolve("pom.xml"));
            Matcher m = DEPENDENCY.matcher(pom);
            while (m.find()) {
                String d = m.group(1);
                String artifact = tag(d, "artifactId");
                String type = tag(d, "type");
                String scope = d.contains("<optional>true</optional>") ? "optional" : tag(d, "scope");
                out.put(artifact + (type == null ? "" : ":" + type), scope == null ? "compile" : scope);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        return m.find() ? m.group(1).strip() : null;
    }

    @Test
    void noLibraryImportsTheKernelOrTheMagics() {
        List<String> found = new ArrayList<>();
        for (Path lib : libraries()) {
            found.addAll(imports(lib, "dev.notebench.magics", "dev.notebench.kernel", "io.github.spencerpark"));
        }
        assertEquals(List.of(), found);
        assertTrue(libraries().size() >= 12, "found the libraries: " + libraries());
    }

    @Test
    void noLibraryDependsOnTheKernelTheMagicsOrAnEnginesNatives() {
        Map<String, String> found = new TreeMap<>();
        for (Path lib : libraries()) {
            dependencies(lib).forEach((artifact, scope) -> {
                boolean kernel = artifact.startsWith("notebench-magics") || artifact.startsWith("notebench-kernel")
                        || artifact.equals("jupyter-jvm-basekernel");
                boolean natives = artifact.startsWith("pytorch-native") || artifact.equals("pytorch-jni");
                if ((kernel || natives) && !scope.equals("test")) {
                    found.put(lib.getFileName() + " " + artifact, scope);
                }
            });
        }
        assertEquals(Map.of(), found);
        // the native tokenizers: optional in tokenize (its Java trainers need none), brought by train, which encodes with them
        assertEquals("optional", dependencies(ROOT.resolve("toolkit/tokenize")).get("tokenizers"));
        assertEquals("optional", dependencies(ROOT.resolve("toolkit/tokenize")).get("sentencepiece"));
    }

    @Test
    void onlyTheChatModuleBringsAJinjaEngine() {
        Map<String, String> found = new TreeMap<>();
        for (Path lib : libraries()) {
            if (dependencies(lib).containsKey("jinjava")) {
                found.put(lib.getFileName().toString(), dependencies(lib).get("jinjava"));
            }
        }
        // Jinjava brings Guava, Jackson and commons-*: training (and whatever builds on it) must not inherit them
        assertEquals(Map.of("chat", "compile"), found);
        assertEquals("test", dependencies(ROOT.resolve("toolkit/train")).get("notebench-chat"));
        // the applications bring it, so that train --corpus rows.jsonl and %train find a renderer
        assertEquals("runtime", dependencies(ROOT.resolve("cli")).get("notebench-chat"));
        assertEquals("runtime", dependencies(ROOT.resolve("toolkit/train-magics")).get("notebench-chat"));
    }

    @Test
    void onlyTheServeModuleBringsAnHttpServer() {
        Map<String, String> found = new TreeMap<>();
        List<Path> modules = new ArrayList<>(libraries());
        modules.addAll(magicModules());
        modules.add(ROOT.resolve("magics/magics"));
        modules.add(ROOT.resolve("magics/kernel"));
        for (Path m : modules) {
            dependencies(m).forEach((artifact, scope) -> {
                if (artifact.startsWith("jetty-")) {
                    found.put(m.getFileName() + " " + artifact, scope);
                }
            });
        }
        // Jetty is for notebench serve alone: a notebook, a training run or a Spark job never starts a server
        assertEquals(Map.of("serve jetty-server", "compile"), found);
        assertEquals("compile", dependencies(ROOT.resolve("cli")).get("notebench-serve"));
    }

    @Test
    void magicsUseTheThinApiAndSitBesideTheirCapability() {
        assertEquals(List.of("associations-magics", "embed-magics", "enrich-magics", "tokenize-magics", "train-magics"),
                magicModules().stream().map(p -> p.getFileName().toString()).toList());
        for (Path m : magicModules()) {
            Map<String, String> deps = dependencies(m);
            assertEquals("compile", deps.get("notebench-magics-api"), m + ": " + deps);
            assertEquals("provided", deps.get("jupyter-jvm-basekernel"), m + ": " + deps);
            assertEquals("test", deps.get("notebench-magics"), m + ": the kernel side only in tests, " + deps);
            String capability = m.getFileName().toString().replace("-magics", "");
            assertTrue(deps.containsKey("notebench-" + capability) || deps.containsKey("notebench-" + capability + "-local"),
                    m + " depends on its capability: " + deps);
            assertEquals(List.of(), imports(m, "dev.notebench.magics.host", "dev.notebench.magics.builtin", "dev.notebench.kernel"));
            assertTrue(imports(m, "dev.notebench.magics.MagicsProvider").size() >= 1, m + " provides its magics through the API");
        }
        // %%enrich against a server pulls no ONNX Runtime: the local labeler is only in its tests
        assertEquals("test", dependencies(ROOT.resolve("toolkit/enrich-magics")).get("notebench-enrich-local"));
    }

    @Test
    void librariesReadTheProcessEnvironmentOnlyInTheirEdgeEntryPoints() {
        List<String> found = new ArrayList<>();
        List<Path> modules = new ArrayList<>(libraries());
        modules.addAll(magicModules());
        modules.add(ROOT.resolve("magics/api"));
        for (Path module : modules) {
            try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        if (line.contains("System.getenv(") && !line.startsWith("*") && !line.startsWith("//")) {
                            found.add(ROOT.relativize(f) + ":" + (i + 1));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // EmbeddingPaths.ofProcess is the command line's helper; SparkCommandLine.main is notebench spark's entry point (and
        // spark-submit's); Detached.main is the detached trainer's own entry point
        assertEquals(List.of("toolkit/embed-local/src/main/java/dev/notebench/embed/local/EmbeddingPaths.java:34",
                "toolkit/spark/src/main/java/dev/notebench/spark/cli/SparkCommandLine.java:45",
                "toolkit/train/src/main/java/dev/notebench/train/Detached.java:121"), found);
    }

    @Test
    void theCommandLineImportsNoMagicAndTakesTheMagicsAtRunTime() {
        List<String> found = imports(ROOT.resolve("cli"), "dev.notebench.magics", "io.github.spencerpark");
        found.addAll(imports(ROOT.resolve("cli"), "dev.notebench.").stream().filter(i -> i.matches(".* dev\\.notebench\\.\\w+\\.magic\\..*"))
                .toList());
        assertEquals(List.of(), found);
        Map<String, String> deps = dependencies(ROOT.resolve("cli"));
        for (Path m : magicModules()) {
            assertEquals("runtime", deps.get("notebench-" + m.getFileName()), "cli: " + deps);
        }
        assertEquals("${pytorch.cpu.scope}", deps.get("pytorch-native-cpu"), "the cuda profile leaves libtorch CPU out");
    }
}
