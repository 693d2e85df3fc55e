package dev.notebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.spark.internal.SessionLogging;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSessionsTest {
    @Test
    void localSessionRunsAJobBesideNotebenchsDependencies() throws Exception {
        try (SparkSession spark = SparkSessions.builder().master("local[2]").config("spark.ui.enabled", "false").config("spark.sql.warehouse.dir", "target/spark-warehouse").build().open()) {
            Dataset<String> words = spark.createDataset(List.of("a", "bb", "ccc", "bb"), Encoders.STRING());
            assertEquals(2L, words.filter((org.apache.spark.api.java.function.FilterFunction<String>) w -> w.equals("bb")).count());
            assertEquals("local[2]", spark.sparkContext().master());
        }
    }

    @Test
    void aSessionOpenedWhereNoOneConfiguredLoggingPrintsNothingOnStandardError(@TempDir Path dir)
            throws IOException, InterruptedException {
        // a JVM as a notebook's or JShell's: Spark's and Notebench's jars, no log4j2 configuration
        // (this module's test classes hold log4j2-test.properties, so only the main is copied out)
        String main = OpenSessionMain.class.getName().replace('.', '/') + ".class";
        Path copy = Files.createDirectories(dir.resolve("main").resolve(main).getParent()).resolve(main.substring(main.lastIndexOf('/') + 1));
        try (var in = OpenSessionMain.class.getClassLoader().getResourceAsStream(main)) {
            Files.copy(in, copy);
        }
        List<String> classpath = new ArrayList<>(List.of(dir.resolve("main").toString()));
        for (String entry : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
            if (!Path.of(entry).endsWith("test-classes")) {
                classpath.add(entry);
            }
        }
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", String.join(File.pathSeparator, classpath), OpenSessionMain.class.getName())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES); // a guard against a hung JVM, not a bound on speed
        if (!ended) {
            p.destroyForcibly();
        }

        String errors = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(ended, errors);
        assertEquals(0, p.exitValue(), errors);
        assertEquals("rows 10\n", Files.readString(out, StandardCharsets.UTF_8));
        assertEquals("", errors, "Spark's default profile printed its start-up lines");
    }

    @Test
    void aLoggingConfigurationOfTheUsersIsLeftAlone() {
        // these tests run with log4j2-test.properties
        assertFalse(SessionLogging.quietUnlessConfigured());
    }
}
