package dev.notebench.magics.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathMagicsTest {
    @TempDir
    Path tmp;

    @Test
    void jarsAddsEveryJarMatchingTheGlobInOrder() throws Exception {
        Files.createDirectories(tmp.resolve("lib/sub"));
        Files.writeString(tmp.resolve("lib/b.jar"), "");
        Files.writeString(tmp.resolve("lib/a.jar"), "");
        Files.writeString(tmp.resolve("lib/notes.txt"), "");
        RecordingContext ctx = new RecordingContext();

        List<String> added = new ClasspathMagics(ctx).jars(List.of(tmp + "/lib/*.jar"));

        assertEquals(List.of(tmp.resolve("lib/a.jar").toString(), tmp.resolve("lib/b.jar").toString()), added);
        assertEquals(List.of(tmp.resolve("lib/a.jar"), tmp.resolve("lib/b.jar")), ctx.added);
        assertEquals("Added 2 entries to the classpath:\n  " + tmp.resolve("lib/a.jar") + "\n  " + tmp.resolve("lib/b.jar"),
                ctx.shownText().get(0));
    }

    @Test
    void aGlobMatchingNoJarIsAnErrorAndAddsNothing() throws Exception {
        Files.writeString(tmp.resolve("a.jar"), "");
        RecordingContext ctx = new RecordingContext();
        MagicUsageException e = assertThrows(MagicUsageException.class,
                () -> new ClasspathMagics(ctx).jars(List.of(tmp + "/a.jar", tmp + "/missing/*.jar")));
        assertEquals("%jars: no jar file matches '" + tmp + "/missing/*.jar' in " + Path.of("").toAbsolutePath()
                + ". Usage: %jars GLOB...", e.getMessage());
        assertEquals(List.of(), ctx.added);
        assertEquals("%jars: give at least one glob. Usage: %jars GLOB...",
                assertThrows(MagicUsageException.class, () -> new ClasspathMagics(ctx).jars(List.of())).getMessage());
    }

    @Test
    void classpathAddsDirectoriesAndWithoutArgumentsListsEverything() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        RecordingContext ctx = new RecordingContext();
        ctx.kernelClasspath.add(Path.of("/opt/kernel.jar"));
        ClasspathMagics magics = new ClasspathMagics(ctx);

        assertEquals(List.of(classes.toString()), magics.classpath(List.of(classes.toString())));
        assertEquals(List.of("/opt/kernel.jar", classes.toString()), magics.classpath(List.of()));
        assertEquals("2 classpath entries (+ added in this session):\n  /opt/kernel.jar\n+ " + classes, ctx.shownText().get(1));
    }
}
