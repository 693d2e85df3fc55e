package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped samples are the files their rebuild script produced, and each is documented. */
class DatasetsIT {
    private final Path datasets = JupyterSandbox.projectHome().resolve("datasets");

    @Test
    void everyShippedFileMatchesItsChecksumAndIsDescribedInTheReadme() throws Exception {
        List<String> sums = Files.readAllLines(datasets.resolve("SHA256SUMS"), StandardCharsets.UTF_8);
        String readme = Files.readString(datasets.resolve("README.md"), StandardCharsets.UTF_8);
        assertEquals(6, sums.size());
        for (String line : sums) {
            String[] parts = line.split("\\s+", 2);
            Path file = datasets.resolve(parts[1]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            assertEquals(parts[0], HexFormat.of().formatHex(digest), parts[1] + " differs from datasets/SHA256SUMS; rebuild with datasets/build.sh");
            assertTrue(readme.contains("`" + parts[1] + "`"), parts[1] + " is described in datasets/README.md");
        }
    }

    @Test
    void spamSubjectsHaveTheDocumentedShape() throws Exception {
        List<String> lines = Files.readAllLines(datasets.resolve("spam/spamassassin-subjects.csv"), StandardCharsets.UTF_8);
        assertEquals("id,subject,label,group", lines.get(0));
        assertEquals(6047, lines.size(), "6,046 emails and a header");
    }
}
