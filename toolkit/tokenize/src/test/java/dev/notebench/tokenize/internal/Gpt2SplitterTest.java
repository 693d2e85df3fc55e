package dev.notebench.tokenize.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Gpt2SplitterTest {
    /** GPT-2's pattern; only UNICODE_CHARACTER_CLASS makes Java's \s mean White_Space, as in HF. */
    private static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static List<String> split(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        Gpt2Splitter.split(b, 0, b.length, (bytes, from, to) -> out.add(new String(bytes, from, to - from, StandardCharsets.UTF_8)));
        return out;
    }

    private static List<String> regex(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = GPT2.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void splitsLikeGpt2OnHandPickedCases() {
        assertEquals(List.of("Hello", ",", " world", "!", "\n"), split("Hello, world!\n"));
        assertEquals(List.of("I", "'m", " here", " don", "'t", " '", "sound", "'s"), split("I'm here don't 'sound's"));
        assertEquals(List.of("  ", " two", "\n", "\n", "x"), split("   two\n\nx"));
        assertEquals(List.of("a", "  ", "\t", "b", " \n"), split("a  \tb \n"));
        assertEquals(List.of(" 12", "ab", " ½", " ⅷ", " (", "x", ")"), split(" 12ab ½ ⅷ (x)"));
        assertEquals(List.of("日本語", " 🎉", "é", "\u00a0", "é"), split("日本語 🎉é\u00a0é"));
    }

    @Test
    void agreesWithTheRegexOnRandomUnicode() {
        Random r = new Random(2024);
        int[] pool = {' ', ' ', ' ', '\n', '\t', '\r', '\u00a0', '\u0085', '\u2028', '\u3000', '\ufeff', 'a', 'Z', 'é',
            '\'', 's', 't', 'r', 'e', 'l', 'd', 'm', 'v', '0', '7', '½', '٣', '.', ',', '!', '-', '(', '"', '日',
            0x1F389, 0x1D400, '\u0301', '\u200b', 'ß', 'Ⅻ'};
        for (int n = 0; n < 5000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.appendCodePoint(pool[r.nextInt(pool.length)]);
            }
            String s = sb.toString();
            assertEquals(regex(s), split(s), () -> "on " + s.codePoints().mapToObj(Integer::toHexString).toList());
        }
    }

    @Test
    void wordsCoverTheTextExactly() {
        String s = "The quick brown fox's 12 jumps — over\u00a0the\tlazy dog.\n";
        assertEquals(s, String.join("", split(s)));
    }
}
