package dev.notebench.associations;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a text into tokens and sentences in one pass over its characters: no regular
 * expressions, no allocation beyond the tokens. A sentence ends at {@code . ! ?} (with closing
 * quotes or brackets) before a capital, a digit, an opening quote or the end, unless the dot
 * belongs to a known abbreviation ({@code Mr.}, {@code U.S.}, {@code e.g.}).
 */
final class Texts {
    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "e.g",
            "i.e", "u.s", "u.k", "u.n", "no", "gen", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
            "sept", "oct", "nov", "dec", "mt", "ft", "inc", "corp", "co", "ltd", "prof", "rev", "hon");

    /** A sentence: its tokens and its character offsets in the text. */
    record Sentence(List<Token> tokens, int start, int end) {
    }

    private Texts() {
    }

    static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>(Math.max(8, text.length() / 5));
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetterOrDigit(c)) {
                int start = i;
                i++;
                while (i < n) {
                    char d = text.charAt(i);
                    if (Character.isLetterOrDigit(d)) {
                        i++;
                    } else if ((d == '\'' || d == '\u2019' || d == '-' || d == '.') && i + 1 < n
                            && Character.isLetterOrDigit(text.charAt(i + 1))
                            && (d != '.' || isAbbreviationDot(text, start, i))) {
                        i += 2;
                    } else {
                        break;
                    }
                }
                String w = text.substring(start, i);
                // the final dot of an abbreviation such as U.S. belongs to it
                if (i < n && text.charAt(i) == '.' && w.indexOf('.') > 0) {
                    i++;
                    w = text.substring(start, i);
                }
                out.add(new Token(w, w.toLowerCase(java.util.Locale.ROOT), start, i, true));
            } else {
                String p = String.valueOf(c);
                out.add(new Token(p, p, i, i + 1, false));
                i++;
            }
        }
        return out;
    }

    /** A dot inside a word is an abbreviation's when the letters before it are one letter (U.S., e.g.). */
    private static boolean isAbbreviationDot(String text, int start, int dot) {
        int k = dot - 1;
        while (k > start && text.charAt(k - 1) != '.') {
            k--;
        }
        return dot - k == 1 && Character.isLetter(text.charAt(k));
    }

    static List<Sentence> sentences(String text) {
        List<Token> tokens = tokens(text);
        List<Sentence> out = new ArrayList<>();
        int from = 0;
        int n = tokens.size();
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            boolean end = false;
            if (!t.word() && (t.text().equals(".") || t.text().equals("!") || t.text().equals("?"))) {
                int j = i + 1;
                while (j < n && !tokens.get(j).word() && isCloser(tokens.get(j).text())) {
                    j++;
                }
                boolean abbreviation = t.text().equals(".") && i > 0 && tokens.get(i - 1).word()
                        && tokens.get(i - 1).end() == t.start() && ABBREVIATIONS.contains(tokens.get(i - 1).lower());
                if (!abbreviation && (j >= n || startsSentence(tokens.get(j)))) {
                    end = true;
                    i = j - 1;
                }
            } else if (t.word() && t.text().endsWith(".") && i + 1 < n && startsSentence(tokens.get(i + 1))
                    && t.text().length() > 4 && !ABBREVIATIONS.contains(t.lower().substring(0, t.lower().length() - 1))) {
                end = true; // "... the U.S.A. The next" keeps U.S.A. whole and ends the sentence
            }
            if (end || i == n - 1) {
                List<Token> s = tokens.subList(from, i + 1);
                if (!s.isEmpty()) {
                    out.add(new Sentence(List.copyOf(s), s.get(0).start(), s.get(s.size() - 1).end()));
                }
                from = i + 1;
            }
        }
        return out;
    }

    private static boolean isCloser(String p) {
        return p.equals("\"") || p.equals("'") || p.equals(")") || p.equals("]") || p.equals("\u201D") || p.equals("\u2019");
    }

    private static boolean startsSentence(Token t) {
        char c = t.text().charAt(0);
        return Character.isUpperCase(c) || Character.isDigit(c) || c == '"' || c == '\u201C' || c == '(' || c == '\'';
    }
}
