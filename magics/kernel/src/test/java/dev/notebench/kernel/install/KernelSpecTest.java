package dev.notebench.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest {
    @TempDir
    Path tmp;

    @Test
    void installWritesKernelJsonAndCopiesTheJars() throws Exception {
        Path a = Files.writeString(Files.createDirectories(tmp.resolve("m1")).resolve("lib.jar"), "a");
        Path b = Files.writeString(Files.createDirectories(tmp.resolve("m2")).resolve("lib.jar"), "b");
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Path kernels = tmp.resolve("share/jupyter/kernels");

        Path dir = KernelSpec.builder(kernels, List.of(a, b, classes))
                .jvmOption("-Xmx2g").env("DJL_CACHE_DIR", "/cache/djl").build().install();

        assertEquals(kernels.resolve("notebench"), dir);
        assertEquals("a", Files.readString(dir.resolve("lib/lib.jar")));
        assertEquals("b", Files.readString(dir.resolve("lib/2-lib.jar")));
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("Java (Notebench)", json.get("display_name").getAsString());
        assertEquals("java", json.get("language").getAsString());
        assertEquals("message", json.get("interrupt_mode").getAsString());
        assertEquals("/cache/djl", json.getAsJsonObject("env").get("DJL_CACHE_DIR").getAsString());
        List<String> argv = json.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), argv.get(0));
        assertEquals(List.of("-Dai.djl.offline=true", "-Xmx2g", "-cp",
                dir.resolve("lib/lib.jar") + ":" + dir.resolve("lib/2-lib.jar") + ":" + classes,
                "dev.notebench.kernel.KernelMain", "{connection_file}"), argv.subList(1, argv.size()));
    }

    @Test
    void theKernelRunsWithItsOwnJarAsItsAgent() throws Exception {
        Path other = Files.writeString(tmp.resolve("other.jar"), "not a jar");
        Path kernelJar = tmp.resolve("notebench-kernel.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "dev.notebench.kernel.agent.KernelAgent");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(kernelJar), manifest)) {
            out.putNextEntry(new ZipEntry("dev/notebench/kernel/KernelMain.class"));
        }
        KernelSpec spec = KernelSpec.builder(tmp.resolve("kernels"), List.of(other, kernelJar)).build();
        Path lib = spec.directory().resolve("lib");
        assertEquals(List.of("-Dai.djl.offline=true", "-javaagent:" + lib.resolve("notebench-kernel.jar"), "-cp",
                lib.resolve("other.jar") + ":" + lib.resolve("notebench-kernel.jar"),
                "dev.notebench.kernel.KernelMain", "{connection_file}"), spec.argv().subList(1, spec.argv().size()));
    }

    @Test
    void reinstallReplacesAndUninstallRemoves() throws Exception {
        Path jar = Files.writeString(tmp.resolve("x.jar"), "x");
        Path kernels = tmp.resolve("kernels");
        KernelSpec.builder(kernels, List.of(jar)).name("nb-test").build().install();
        Files.writeString(kernels.resolve("nb-test/lib/stale.jar"), "old");
        KernelSpec.builder(kernels, List.of(jar)).name("nb-test").build().install();
        assertFalse(Files.exists(kernels.resolve("nb-test/lib/stale.jar")));

        assertTrue(KernelSpec.uninstall(kernels, "nb-test"));
        assertFalse(Files.exists(kernels.resolve("nb-test")));
        assertFalse(KernelSpec.uninstall(kernels, "nb-test"));
    }

    @Test
    void badNamesMissingEntriesAndJresAreRejectedWithAFix() throws Exception {
        Path jar = Files.writeString(tmp.resolve("x.jar"), "x");
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> KernelSpec.builder(tmp, List.of(jar)).name("my kernel"));
        assertEquals("kernel name 'my kernel' may only have letters, digits, '.', '_' and '-'", e.getMessage());
        e = assertThrows(NotebenchException.class, () -> KernelSpec.builder(tmp, List.of(tmp.resolve("gone.jar"))));
        assertEquals(ErrorCode.DATA_NOT_FOUND, e.code());
        Path fakeJre = Files.createDirectories(tmp.resolve("jre/bin")).resolve("java");
        Files.writeString(fakeJre, "#!/bin/sh\n");
        assertTrue(fakeJre.toFile().setExecutable(true));
        e = assertThrows(NotebenchException.class, () -> KernelSpec.builder(tmp, List.of(jar)).java(fakeJre).build());
        assertEquals(fakeJre + " belongs to a JRE; the kernel compiles cells with JShell and needs a JDK 17 or later", e.getMessage());
    }
}
