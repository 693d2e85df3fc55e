package dev.notebench.magics.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import dev.notebench.magics.maven.LoopbackRepository;
import dev.notebench.magics.maven.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenMagicsTest {
    @TempDir
    Path tmp;

    @Test
    void mavenAddsResolvedJarsAndSkipsThoseAlreadyOnTheClasspath() throws Exception {
        String saved = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", tmp.resolve("local").toString());
        try (LoopbackRepository repo = new LoopbackRepository(Files.createDirectories(tmp.resolve("remote")))) {
            repo.publish("com.example", "dep", "1.0");
            repo.publish("com.example", "tool", "3.0", "com.example:dep:1.0");
            RecordingContext ctx = new RecordingContext();
            ctx.kernelClasspath.add(Path.of("/opt/kernel/lib/dep-1.0.jar"));
            try (MavenMagics magics = new MavenMagics(ctx)) {
                magics.mavenRepo(List.of("loop", repo.url()));
                List<String> added = magics.maven(List.of("com.example:tool:3.0"));

                assertEquals(1, added.size());
                assertEquals("tool-3.0.jar", Path.of(added.get(0)).getFileName().toString());
                assertEquals(List.of(Path.of(added.get(0))), ctx.added);
                assertEquals(List.of(Repository.CENTRAL, new Repository("loop", repo.url())), magics.repositories());
                assertEquals("Resolved com.example:tool:3.0: added 1 jar (" + kilobytes(Path.of(added.get(0)))
                        + " KB); 1 already on the classpath: dep-1.0.jar.", ctx.shownText().get(1));
            }
        } finally {
            if (saved == null) {
                System.clearProperty("maven.repo.local");
            } else {
                System.setProperty("maven.repo.local", saved);
            }
        }
    }

    @Test
    void mavenSaysInOneLineWhatItAddedAndListsTheJarsOnlyWhenVerbose() throws Exception {
        String saved = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", tmp.resolve("local").toString());
        try (LoopbackRepository repo = new LoopbackRepository(Files.createDirectories(tmp.resolve("remote")))) {
            repo.publish("com.example", "dep", "1.0");
            repo.publish("com.example", "util", "2.0");
            repo.publish("com.example", "tool", "3.0", "com.example:dep:1.0", "com.example:util:2.0");
            RecordingContext quiet = new RecordingContext();
            quiet.kernelClasspath.add(Path.of("/opt/kernel/lib/dep-0.9.jar"));
            RecordingContext verbose = new RecordingContext();
            try (MavenMagics magics = new MavenMagics(quiet); MavenMagics listing = new MavenMagics(verbose)) {
                magics.mavenRepo(List.of("loop", repo.url()));
                listing.mavenRepo(List.of("loop", repo.url()));
                List<String> added = magics.maven(List.of("com.example:tool:3.0"));
                listing.maven(List.of("com.example:tool:3.0", "-v"));
                listing.maven(List.of("com.example:tool:3.0", "--verbose"));

                long kb = 0;
                for (String jar : added) {
                    kb += Files.size(Path.of(jar));
                }
                kb = (kb + 1023) / 1024;
                assertEquals("Resolved com.example:tool:3.0: added 3 jars (" + kb + " KB); another version already on the "
                        + "classpath: dep-1.0.jar (beside dep-0.9.jar). (--verbose lists them)", quiet.shownText().get(1));
                assertEquals("Resolved com.example:tool:3.0: added 3 jars (" + kb + " KB).\n  tool-3.0.jar\n  dep-1.0.jar"
                        + "\n  util-2.0.jar", verbose.shownText().get(1));
                assertEquals("Resolved com.example:tool:3.0: nothing new to add; 3 already on the classpath: tool-3.0.jar, "
                        + "dep-1.0.jar, util-2.0.jar.", verbose.shownText().get(2));
            }
        } finally {
            if (saved == null) {
                System.clearProperty("maven.repo.local");
            } else {
                System.setProperty("maven.repo.local", saved);
            }
        }
    }

    @Test
    void aLongListOfSkippedJarsIsCutAfterFive() {
        assertEquals("Resolved a:b:1: nothing new to add; 7 already on the classpath: j1.jar, j2.jar, j3.jar, j4.jar, "
                + "j5.jar and 2 more.", MavenMagics.summary(List.of("a:b:1"), List.of(), 0,
                List.of("j1.jar", "j2.jar", "j3.jar", "j4.jar", "j5.jar", "j6.jar", "j7.jar"), List.of(), false));
        assertEquals("Resolved a:b:1: added 2 jars (281 MB). (--verbose lists them)", MavenMagics.summary(List.of("a:b:1"),
                List.of("/r/x.jar", "/r/y.jar"), 281L * 1024 * 1024 + 1000, List.of(), List.of(), false));
    }

    private static long kilobytes(Path jar) throws java.io.IOException {
        return (Files.size(jar) + 1023) / 1024;
    }

    @Test
    void wrongArgumentsAreOneLineUsageErrors() {
        MavenMagics magics = new MavenMagics(new RecordingContext());
        String usage = ". Usage: " + MavenMagics.MAVEN_USAGE;
        assertEquals("%maven: give at least one GROUP:ARTIFACT:VERSION" + usage,
                assertThrows(MagicUsageException.class, () -> magics.maven(List.of())).getMessage());
        assertEquals("%maven: 'junit' is not group:artifact[:extension[:classifier]]:version" + usage,
                assertThrows(MagicUsageException.class, () -> magics.maven(List.of("junit"))).getMessage());
        assertEquals("%maven: unknown keyword argument 'repository'" + usage,
                assertThrows(MagicUsageException.class, () -> magics.maven(List.of("a:b:1", "--repository", "x"))).getMessage());
        assertEquals("%mavenRepo: missing required positional arguments: [url]. Usage: %mavenRepo ID URL",
                assertThrows(MagicUsageException.class, () -> magics.mavenRepo(List.of("jitpack"))).getMessage());
        assertEquals("%mavenRepo: repository URL 'jitpack.io' is not an http(s) or file URL; give e.g. "
                        + "https://repo.example.com/maven2/. Usage: %mavenRepo ID URL",
                assertThrows(MagicUsageException.class, () -> magics.mavenRepo(List.of("jitpack", "jitpack.io"))).getMessage());
    }
}
