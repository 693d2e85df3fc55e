package dev.notebench.associations;

import dev.notebench.associations.PatternSet.Rule;
import dev.notebench.associations.PatternSet.Slot;
import dev.notebench.associations.PatternSet.SlotKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Matches a pattern set against one sentence's tokens: noun phrases found by a light chunker around the patterns' words. */
final class Matcher {
    private static final int MAX_PHRASE = 4;
    private static final Set<String> DETERMINERS = Set.of("a", "an", "the", "this", "these", "those", "our", "their", "its",
            "his", "her", "my", "your", "some", "many", "all", "most", "several", "various", "certain", "other", "such");

    /** Words after which comes a verb, not a noun phrase: "we | fight", "to | build", "will | cut". */
    private static final Set<String> VERB_CUES = Set.of("i", "we", "you", "they", "he", "she", "it", "to", "will", "would", "can",
            "could", "must", "should", "shall", "may", "might", "let's", "not", "never", "also", "and", "or");

    private static final Set<String> QUOTES = Set.of("\"", "'", "\u201C", "\u2018", "(");

    /** A noun phrase: tokens [from, to). */
    private record Phrase(int from, int to) {
    }

    private final PatternSet patterns;

    Matcher(PatternSet patterns) {
        this.patterns = patterns;
    }

    /** Every association of one sentence, in the order of the tokens that start them, duplicates removed. */
    void match(String text, Texts.Sentence sentence, int concept, int index, List<Association> out) {
        List<Token> tokens = sentence.tokens();
        Set<String> seen = null;
        for (int i = 0; i < tokens.size(); i++) {
            List<Rule> candidates = patterns.startingWith(tokens.get(i).lower());
            for (Rule rule : candidates) {
                List<List<Phrase>> slots = new ArrayList<>(2);
                List<Boolean> roles = new ArrayList<>(2);
                if (!matchRule(rule, tokens, i, slots, roles)) {
                    continue;
                }
                List<Phrase> sources = roles.get(0) ? slots.get(0) : slots.get(1);
                List<Phrase> targets = roles.get(0) ? slots.get(1) : slots.get(0);
                for (Phrase s : sources) {
                    for (Phrase t : targets) {
                        String source = phrase(text, tokens, s);
                        String target = phrase(text, tokens, t);
                        if (seen == null) {
                            seen = new HashSet<>();
                        }
                        if (seen.add(source + '\u0000' + rule.relation() + '\u0000' + target)) {
                            out.add(new Association(concept, index, sentence.start(), sentence.end(), source, rule.relation(), target,
                                    head(tokens, s), head(tokens, t), rule.confidence(), rule.text()));
                        }
                    }
                }
            }
        }
    }

    private static String phrase(String text, List<Token> tokens, Phrase p) {
        StringBuilder sb = new StringBuilder();
        for (int k = p.from(); k < p.to(); k++) {
            if (k > p.from()) {
                sb.append(' ');
            }
            sb.append(tokens.get(k).text());
        }
        return sb.toString();
    }

    private static String head(List<Token> tokens, Phrase p) {
        return Words.singular(tokens.get(p.to() - 1).lower());
    }

    /** Matches a rule whose first words start at token {@code at}; fills the slots' phrases in pattern order. */
    private boolean matchRule(Rule rule, List<Token> tokens, int at, List<List<Phrase>> slots, List<Boolean> roles) {
        List<PatternSet.Element> elements = rule.elements();
        int e = 0;
        if (elements.get(0) instanceof Slot lead) {
            List<Phrase> p = lead.kind() == SlotKind.LIST ? backwardList(tokens, at - 1) : optional(backward(tokens, at - 1, lead.kind()));
            if (p.isEmpty()) {
                return false;
            }
            slots.add(p);
            roles.add(lead.source());
            e = 1;
        }
        return forward(elements, e, tokens, at, slots, roles);
    }

    private boolean forward(List<PatternSet.Element> elements, int e, List<Token> tokens, int pos, List<List<Phrase>> slots,
                            List<Boolean> roles) {
        if (e == elements.size()) {
            return true;
        }
        PatternSet.Element el = elements.get(e);
        if (el instanceof PatternSet.Words w) {
            for (List<String> alt : w.alternatives()) {
                if (matchesWords(tokens, pos, alt) && forward(elements, e + 1, tokens, pos + alt.size(), slots, roles)) {
                    return true;
                }
            }
            return false;
        }
        Slot slot = (Slot) el;
        boolean last = e == elements.size() - 1;
        List<Phrase> phrases = slot.kind() == SlotKind.LIST ? list(tokens, pos) : single(tokens, pos, slot.kind());
        if (phrases.isEmpty()) {
            return false;
        }
        int size = slots.size();
        slots.add(phrases);
        roles.add(slot.source());
        if (last) {
            return true;
        }
        if (forward(elements, e + 1, tokens, phrases.get(phrases.size() - 1).to(), slots, roles)) {
            return true;
        }
        slots.remove(size);
        roles.remove(size);
        return false;
    }

    private static boolean matchesWords(List<Token> tokens, int pos, List<String> words) {
        if (pos + words.size() > tokens.size()) {
            return false;
        }
        for (int k = 0; k < words.size(); k++) {
            if (!tokens.get(pos + k).lower().equals(words.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static List<Phrase> optional(Phrase p) {
        return p == null ? List.of() : List.of(p);
    }

    /** Noun phrases joined by ",", "and", "or" ending at token {@code end}, in text order. */
    private static List<Phrase> backwardList(List<Token> tokens, int end) {
        List<Phrase> out = new ArrayList<>();
        int e = end;
        while (true) {
            Phrase p = backward(tokens, e, SlotKind.PHRASE);
            if (p == null) {
                break;
            }
            out.add(0, p);
            int q = p.from() - 1;
            boolean joined = false;
            if (q >= 0 && (tokens.get(q).lower().equals("and") || tokens.get(q).lower().equals("or"))) {
                q--;
                joined = true;
            }
            if (q >= 0 && tokens.get(q).lower().equals(",")) {
                q--;
                joined = true;
            }
            if (!joined) {
                break;
            }
            e = q;
        }
        return out;
    }

    /** The noun phrase ending at token {@code end}: up to 4 content words, walking back. */
    private static Phrase backward(List<Token> tokens, int end, SlotKind kind) {
        int from = end + 1;
        int limit = kind == SlotKind.ONE ? 1 : MAX_PHRASE;
        while (from > 0 && end + 1 - from < limit && Words.isContent(tokens.get(from - 1))
                && (from == end + 1 || !Words.looksPlural(tokens.get(from - 1).lower()))
                && !(from >= 2 && VERB_CUES.contains(tokens.get(from - 2).lower()))) {
            from--; // a plural or a verb in -s before the head ends the phrase: "park shelters | animals"
        }
        if (from > end) {
            return null;
        }
        if (kind == SlotKind.ONE && from > 0 && Words.isContent(tokens.get(from - 1))) {
            return null;
        }
        return new Phrase(from, end + 1);
    }

    /** One noun phrase starting at {@code pos}, after determiners: up to 4 content words (exactly one for {:1}). */
    private static List<Phrase> single(List<Token> tokens, int pos, SlotKind kind) {
        int from = pos;
        while (from < tokens.size() && QUOTES.contains(tokens.get(from).text())) {
            from++;
        }
        while (kind != SlotKind.ONE && from < tokens.size() && DETERMINERS.contains(tokens.get(from).lower())) {
            from++;
        }
        int to = from;
        int limit = kind == SlotKind.ONE ? 1 : MAX_PHRASE;
        while (to < tokens.size() && to - from < limit && Words.isContent(tokens.get(to))) {
            to++;
            if (Words.looksPlural(tokens.get(to - 1).lower())) {
                break; // a plural is the head: "taxes | hurt families"
            }
        }
        if (to == from || (kind == SlotKind.ONE && to < tokens.size() && Words.isContent(tokens.get(to)))) {
            return List.of();
        }
        if (kind == SlotKind.ONE && tokens.get(from).lower().endsWith("ly")) {
            return List.of(); // an adverb: "the process is | steadily ..."
        }
        return List.of(new Phrase(from, to));
    }

    /**
     * Noun phrases joined by ",", "and", "or" (", and", ", or"), starting at {@code pos}. The phrase
     * after "and"/"or" is the last: "Walesa and Havel, men who ..." lists two.
     */
    private static List<Phrase> list(List<Token> tokens, int pos) {
        List<Phrase> out = new ArrayList<>();
        int p = pos;
        boolean last = false;
        while (true) {
            List<Phrase> one = single(tokens, p, SlotKind.PHRASE);
            if (one.isEmpty()) {
                break;
            }
            Phrase ph = one.get(0);
            out.add(ph);
            if (last) {
                break;
            }
            int q = ph.to();
            boolean comma = q < tokens.size() && tokens.get(q).lower().equals(",");
            if (comma) {
                q++;
            }
            if (q < tokens.size() && (tokens.get(q).lower().equals("and") || tokens.get(q).lower().equals("or"))) {
                q++;
                last = true;
            } else if (!comma) {
                break;
            }
            p = q;
        }
        return out;
    }
}
