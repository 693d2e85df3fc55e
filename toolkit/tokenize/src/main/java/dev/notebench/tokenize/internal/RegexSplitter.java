package dev.notebench.tokenize.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Split} pre-tokenizer with a pattern that has no scanner: matches and the text between
 * them are pieces ({@code Isolated}), found by {@code java.util.regex} with Unicode character classes
 * (so that {@code \s}, {@code \w} and {@code \d} are Unicode's, as in onig).
 */
final class RegexSplitter implements PieceSplitter {
    private final Pattern pattern;

    RegexSplitter(Pattern pattern) {
        this.pattern = pattern;
    }

    @Override
    public void split(byte[] bytes, int from, int to, Gpt2Splitter.Sink sink) {
        String text = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        Matcher m = pattern.matcher(text);
        int done = 0;
        while (m.find()) {
            if (m.start() == m.end()) {
                continue;
            }
            if (m.start() > done) {
                emit(text.substring(done, m.start()), sink);
            }
            emit(text.substring(m.start(), m.end()), sink);
            done = m.end();
        }
        if (done < text.length()) {
            emit(text.substring(done), sink);
        }
    }

    /**
     * Rewrites {@code \p{L}} and {@code \p{N}} (inside a character class or not) to also take the
     * letters and numbers of a newer Unicode than Java's, as HF's onig does.
     */
    static String withOnigLettersAndNumbers(String regex) {
        StringBuilder b = new StringBuilder(regex.length() + 64);
        int depth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                String rest = regex.substring(i);
                byte cls = rest.startsWith("\\p{L}") ? Gpt2Splitter.LETTER : rest.startsWith("\\p{N}") ? Gpt2Splitter.NUMBER : 0;
                if (cls != 0) {
                    String widened = rest.substring(0, 5) + Gpt2Splitter.newerRanges(cls);
                    b.append(depth > 0 ? widened : "[" + widened + "]");
                    i += 4;
                } else {
                    b.append(c).append(regex.charAt(++i));
                }
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            }
            b.append(c);
        }
        return b.toString();
    }

    private static void emit(String piece, Gpt2Splitter.Sink sink) {
        byte[] b = piece.getBytes(StandardCharsets.UTF_8);
        sink.word(b, 0, b.length);
    }
}
