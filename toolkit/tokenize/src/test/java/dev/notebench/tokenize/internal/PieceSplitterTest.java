package dev.notebench.tokenize.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scanners agree with java.util.regex running their pattern (widened to onig's letters and
 * numbers), on text made to reach every alternative; BpeEncoderTest checks the scanners against HF.
 */
class PieceSplitterTest {
    private static final String[] ATOMS = {"'s", "'S", "'re", "'RE", "'\u017F", "'x", "'", " ", "  ", "\t", "\n", "\r\n",
        "\n\n ", " \n", "\u00A0", "\u3000", "a", "Zz", "日本", "12", "1234567", "\u0663", "\u2167", "!", "?!", ".", " .",
        "\u0301", "\uD83D\uDE00", "\u0870", "\uD801\uDD70", "\uD803\uDD40", "-\n", ")\r\n"};

    static List<String> pieces(PieceSplitter s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        s.split(b, 0, b.length, (bytes, from, to) -> out.add(new String(bytes, from, to - from, StandardCharsets.UTF_8)));
        return out;
    }

    static String random(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(10); i >= 0; i--) {
            b.append(ATOMS[r.nextInt(ATOMS.length)]);
        }
        return b.toString();
    }

    @Test
    void scannersSplitAsJavaRegexDoesWithOnigsLettersAndNumbers() {
        Random r = new Random(5);
        for (String pattern : List.of(PieceSplitter.GPT2_PATTERN, PieceSplitter.LLAMA3_PATTERN, PieceSplitter.QWEN2_PATTERN)) {
            PieceSplitter scanner = PieceSplitter.of(pattern);
            PieceSplitter regex = new RegexSplitter(Pattern.compile(RegexSplitter.withOnigLettersAndNumbers(pattern),
                    Pattern.UNICODE_CHARACTER_CLASS));
            for (int k = 0; k < 20_000; k++) {
                String text = random(r);
                assertEquals(pieces(regex, text), pieces(scanner, text), pattern + " on " + text);
            }
        }
    }

    @Test
    void anUnknownPatternRunsOnJavaRegexWithItsLettersWidened() {
        PieceSplitter s = PieceSplitter.of("\\p{L}+|[^\\p{L}]+");
        assertInstanceOf(RegexSplitter.class, s);
        assertEquals(List.of("ab\u0870c", "12 ", "d"), pieces(s, "ab\u0870c12 d"));
        String widened = RegexSplitter.withOnigLettersAndNumbers("[^\\p{N}]|\\p{L}");
        assertTrue(widened.startsWith("[^\\p{N}\\x{10D40}-\\x{10D49}\\x{"), "inside a class: ranges added, " + widened);
        assertTrue(widened.contains("]|[\\p{L}\\x{870}-\\x{887}\\x{"), "outside: a class of its own, " + widened);
    }
}
