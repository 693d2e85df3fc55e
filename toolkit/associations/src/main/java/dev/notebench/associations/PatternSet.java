package dev.notebench.associations;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Relation patterns as data: one per line, {@code relation confidence pattern}, for example
 *
 * <pre>
 * # relation   confidence  pattern
 * is-a         0.9         {T} such as {S+}
 * part-of      0.8         {S} (is|are) (a|) part of {T}
 * causes       0.8         {S} (leads|lead|led) to {T}
 * </pre>
 *
 * A pattern is words matched ignoring case (punctuation such as {@code ,} is a word too), groups
 * of alternatives {@code (a|b c|)} (an empty alternative makes the group optional), and two slots:
 * {@code {S}} the source and {@code {T}} the target, each a noun phrase ({@code {S}}), a list of
 * noun phrases joined by commas, {@code and}, {@code or} ({@code {S+}}: one association per item),
 * or a single word ({@code {S:1}}). Slots are separated by words. Lines starting with {@code #} and
 * blank lines are ignored. {@link #defaults()} holds Hearst's is-a patterns and patterns for
 * part-of, causes, used-for, located-in, has-property, before and after.
 */
public final class PatternSet {
    private static final Pattern RELATION = Pattern.compile("[a-z][a-z0-9_-]*");

    /** How a slot reads its noun phrase. */
    enum SlotKind {
        PHRASE, LIST, ONE
    }

    /** A part of a pattern. */
    sealed interface Element permits Slot, Words {
    }

    /** A slot: source or target. */
    record Slot(boolean source, SlotKind kind) implements Element {
    }

    /** Alternatives of word sequences; an empty one makes the group optional. */
    record Words(List<List<String>> alternatives) implements Element {
        boolean optional() {
            return alternatives.stream().anyMatch(List::isEmpty);
        }
    }

    /** A compiled pattern. */
    record Rule(String relation, double confidence, String text, List<Element> elements, int order) {
    }

    private final List<Rule> rules;
    private final Map<String, List<Rule>> byFirstWord;

    private PatternSet(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        Map<String, List<Rule>> index = new HashMap<>();
        for (Rule r : rules) {
            Words anchor = (Words) (r.elements().get(0) instanceof Slot ? r.elements().get(1) : r.elements().get(0));
            for (List<String> alt : anchor.alternatives()) {
                List<Rule> list = index.computeIfAbsent(alt.get(0), k -> new ArrayList<>());
                if (!list.contains(r)) {
                    list.add(r);
                }
            }
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        this.byFirstWord = Map.copyOf(index);
    }

    /** The patterns that ship with Notebench. */
    public static PatternSet defaults() {
        try (InputStream in = PatternSet.class.getResourceAsStream("default-patterns.txt")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-patterns.txt");
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.INTERNAL, "the default patterns are missing from the jar", e);
        }
    }

    /**
     * Reads a pattern file.
     *
     * @param file a UTF-8 file, one pattern per line
     * @throws PatternFileException naming the line and what is wrong with it
     */
    public static PatternSet read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (java.nio.charset.MalformedInputException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the pattern file " + file + " is not UTF-8");
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read the pattern file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses patterns.
     *
     * @param text the lines
     * @param source where they come from, for messages
     * @throws PatternFileException naming the line and what is wrong with it
     */
    public static PatternSet parse(String text, String source) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            if (parts.length < 3) {
                throw new PatternFileException(source, i + 1, "write 'relation confidence pattern', e.g. 'is-a 0.9 {T} such as {S+}'");
            }
            if (!RELATION.matcher(parts[0]).matches()) {
                throw new PatternFileException(source, i + 1, "the relation '" + parts[0] + "' must be lowercase letters, digits,"
                        + " '-' or '_'");
            }
            double confidence;
            try {
                confidence = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                throw new PatternFileException(source, i + 1, "the confidence '" + parts[1] + "' is not a number");
            }
            if (!(confidence > 0 && confidence <= 1)) {
                throw new PatternFileException(source, i + 1, "the confidence " + parts[1] + " must be in (0, 1]");
            }
            rules.add(new Rule(parts[0], confidence, parts[2], compile(parts[2], source, i + 1), rules.size()));
        }
        if (rules.isEmpty()) {
            throw new PatternFileException(source, lines.length, "no patterns: write one per line, 'relation confidence pattern'");
        }
        return new PatternSet(rules);
    }

    private static List<Element> compile(String pattern, String source, int line) {
        List<Element> out = new ArrayList<>();
        int n = pattern.length();
        int i = 0;
        while (i < n) {
            char c = pattern.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '{') {
                int close = pattern.indexOf('}', i);
                if (close < 0) {
                    throw new PatternFileException(source, line, "a '{' is not closed");
                }
                String slot = pattern.substring(i + 1, close).strip();
                SlotKind kind = SlotKind.PHRASE;
                if (slot.endsWith("+")) {
                    kind = SlotKind.LIST;
                    slot = slot.substring(0, slot.length() - 1);
                } else if (slot.endsWith(":1")) {
                    kind = SlotKind.ONE;
                    slot = slot.substring(0, slot.length() - 2);
                }
                if (!slot.equals("S") && !slot.equals("T")) {
                    throw new PatternFileException(source, line, "unknown slot {" + pattern.substring(i + 1, close)
                            + "}; use {S} or {T} (source, target), with + for a list or :1 for one word");
                }
                if (!out.isEmpty() && out.get(out.size() - 1) instanceof Slot) {
                    throw new PatternFileException(source, line, "two slots in a row; put words between them");
                }
                out.add(new Slot(slot.equals("S"), kind));
                i = close + 1;
            } else if (c == '(') {
                int close = pattern.indexOf(')', i);
                if (close < 0) {
                    throw new PatternFileException(source, line, "a '(' is not closed");
                }
                List<List<String>> alternatives = new ArrayList<>();
                for (String alt : pattern.substring(i + 1, close).split("\\|", -1)) {
                    alternatives.add(words(alt));
                }
                alternatives.sort((a, b) -> b.size() - a.size()); // longest first
                out.add(new Words(List.copyOf(alternatives)));
                i = close + 1;
            } else if (c == '}' || c == ')' || c == '|') {
                throw new PatternFileException(source, line, "a '" + c + "' without its opening");
            } else {
                int end = i;
                while (end < n && !Character.isWhitespace(pattern.charAt(end)) && "{}()|".indexOf(pattern.charAt(end)) < 0) {
                    end++;
                }
                for (String w : words(pattern.substring(i, end))) {
                    out.add(new Words(List.of(List.of(w))));
                }
                i = end;
            }
        }
        long sources = out.stream().filter(e -> e instanceof Slot s && s.source()).count();
        long targets = out.stream().filter(e -> e instanceof Slot s && !s.source()).count();
        if (sources != 1 || targets != 1) {
            throw new PatternFileException(source, line, "a pattern needs one {S} and one {T} slot; '" + pattern + "' has "
                    + sources + " and " + targets);
        }
        int first = out.get(0) instanceof Slot ? 1 : 0;
        if (!(out.get(first) instanceof Words w) || w.optional()) {
            throw new PatternFileException(source, line, "the first words of a pattern (after a leading slot) cannot be optional");
        }
        return List.copyOf(out);
    }

    /** The words of a literal, tokenized like text and lowercased ("U.S.," -> "u.s.", ","). */
    private static List<String> words(String literal) {
        List<String> out = new ArrayList<>();
        for (Token t : Texts.tokens(literal)) {
            out.add(t.lower());
        }
        return out;
    }

    /** The patterns, in file order. */
    List<Rule> rules() {
        return rules;
    }

    /** The patterns whose first words can start with this lowercased word. */
    List<Rule> startingWith(String lower) {
        return byFirstWord.getOrDefault(lower, Collections.emptyList());
    }

    /** How many patterns there are. */
    public int size() {
        return rules.size();
    }

    /** The relations the patterns produce, in first-seen order. */
    public List<String> relations() {
        List<String> out = new ArrayList<>();
        for (Rule r : rules) {
            if (!out.contains(r.relation())) {
                out.add(r.relation());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "PatternSet[" + rules.size() + " patterns: " + String.join(", ", relations()).toLowerCase(Locale.ROOT) + "]";
    }
}
