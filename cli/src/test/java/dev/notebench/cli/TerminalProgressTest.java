package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
    @Test
    void onATerminalTheBarShowsTheTaskPositionAndNote() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TerminalProgress p = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true)) {
            p.stage("gpt-sotu", 300, "steps", 100);
            p.note("loss 2.3100");
            p.update(150);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("gpt-sotu"), out);
        assertTrue(out.contains("150/300"), out);
        assertTrue(out.contains("loss 2.3100"), out);
    }

    @Test
    void inCiOrWithoutATerminalItPrintsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TerminalProgress p = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false)) {
            p.stage("merging", 1000, "tokens");
            p.update(500);
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        assertTrue(TerminalProgress.ci(Map.of("CI", "true")));
        assertTrue(TerminalProgress.ci(Map.of("CI", "1")));
        assertFalse(TerminalProgress.ci(Map.of("CI", "false")));
        assertFalse(TerminalProgress.ci(Map.of()));
    }
}
