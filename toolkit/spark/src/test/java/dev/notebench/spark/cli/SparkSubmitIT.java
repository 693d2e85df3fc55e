package dev.notebench.spark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.spark.TestData;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.TokenizerOptions;
import dev.notebench.tokenize.TrainingListener;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar {@code spark-submit} takes ({@code target/notebench-spark-all.jar}, made in the
 * pre-integration-test phase, so by {@code verify} and not by {@code package}), submitted as {@code spark-submit} submits it: Spark's {@code SparkSubmit} in its own JVM
 * with only Spark's jars on its class path ({@code target/spark-jars}, what a Spark distribution's
 * {@code jars/} holds), {@code --master local[2]} and {@code --class} the jar's entry point.
 */
class SparkSubmitIT {
    private static final Path TARGET = Path.of(System.getProperty("notebench.spark.target", "target"));

    @Test
    void theShadedJarHoldsNotebenchAndItsDependenciesWithoutSparkAndWithGuavaRelocated() throws IOException {
        try (JarFile jar = new JarFile(TARGET.resolve("notebench-spark-all.jar").toFile())) {
            assertEquals(SparkCommandLine.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("dev/notebench/enrich/EnrichJob.class"));
            assertTrue(names.contains("okhttp3/OkHttpClient.class"));
            assertTrue(names.contains("dev/notebench/shaded/com/google/common/collect/ImmutableList.class"));
            assertFalse(names.stream().anyMatch(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/")
                    || n.startsWith("com/google/common/") || n.startsWith("com/google/gson/") || n.startsWith("org/slf4j/")));
            assertTrue(new String(jar.getInputStream(jar.getEntry("META-INF/services/dev.notebench.enrich.AnnotatorProvider"))
                    .readAllBytes(), StandardCharsets.UTF_8).contains("dev.notebench.enrich.local"));
        }
    }

    @Test
    void sparkSubmitTrainsTheLocalTokenizerJsonByteForByte(@TempDir Path dir) throws IOException, InterruptedException {
        Path corpus = Files.write(dir.resolve("sotu.txt"), TestData.sotu(2), StandardCharsets.UTF_8);
        TokenizerArtifact.train(TokenizerOptions.spec(TokenizerOptions.TRAIN.parse(List.of("--corpus", corpus.toString(), "--out",
                dir.resolve("local").toString(), "--vocab", "600", "--holdout", "0"))), TrainingListener.NONE, Map.of());
        Path log = dir.resolve("spark-submit.log");

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", TARGET.resolve("spark-jars") + File.separator + "*", "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--class", SparkCommandLine.class.getName(),
                TARGET.resolve("notebench-spark-all.jar").toString(),
                "tokenizer", "train", "--corpus", corpus.toString(), "--out", dir.resolve("spark").toString(), "--vocab", "600")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES); // a guard against a hung JVM, not a bound on speed
        if (!ended) {
            p.destroyForcibly();
        }

        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("Wrote tokenizer artifact " + dir.resolve("spark") + " (vocab 600,"), output);
        assertArrayEquals(Files.readAllBytes(dir.resolve("local").resolve(TokenizerArtifact.TOKENIZER_JSON)),
                Files.readAllBytes(dir.resolve("spark").resolve(TokenizerArtifact.TOKENIZER_JSON)));
    }
}
