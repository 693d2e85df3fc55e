package dev.notebench.associations;

import java.util.Set;

/**
 * The closed-class words of English (determiners, pronouns, prepositions, conjunctions,
 * auxiliaries and modals, frequent adverbs) and its most frequent verbs: words that end a noun
 * phrase. Also a light lemmatizer for nouns (plural to singular by suffix rules).
 */
final class Words {
    private static final Set<String> FUNCTION = Set.copyOf(java.util.Arrays.asList(
            "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our", "their", "some",
            "any", "no", "every", "each", "all", "both", "either", "neither", "much", "many", "more", "most", "few", "less",
            "least", "several", "such", "own", "same", "other", "another", "what", "which", "who", "whom", "whose", "whatever",
            "i", "me", "you", "he", "him", "she", "it", "we", "us", "they", "them", "myself", "yourself", "himself", "herself",
            "itself", "ourselves", "themselves", "one", "ones", "something", "anything", "nothing", "everything", "someone",
            "anyone", "everyone", "nobody", "somebody", "everybody",
            "of", "in", "on", "at", "by", "for", "with", "about", "against", "between", "into", "through", "during", "before",
            "after", "above", "below", "to", "from", "up", "down", "out", "off", "over", "under", "again", "further", "than",
            "as", "like", "within", "without", "across", "along", "among", "around", "behind", "beyond", "toward", "towards",
            "upon", "via", "per", "since", "until", "till", "despite", "throughout", "onto", "inside", "outside",
            "and", "or", "but", "nor", "so", "yet", "if", "then", "because", "while", "although", "though", "unless",
            "whether", "when", "where", "why", "how", "once", "whereas",
            "is", "am", "are", "was", "were", "be", "been", "being", "has", "have", "had", "having", "do", "does", "did",
            "doing", "done", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "ought",
            "not", "no", "never", "also", "just", "only", "very", "too", "even", "still", "already", "now", "here", "there",
            "ever", "always", "often", "again", "perhaps", "really", "indeed", "rather", "quite", "almost", "thus", "therefore",
            "however", "instead", "especially", "including", "include", "includes", "included", "let", "lets",
            "say", "says", "said", "make", "makes", "made", "making", "get", "gets", "got", "getting", "take", "takes", "took",
            "taken", "give", "gives", "gave", "given", "go", "goes", "went", "gone", "going", "come", "comes", "came", "know",
            "knows", "knew", "known", "see", "sees", "saw", "seen", "think", "thinks", "thought", "want", "wants", "wanted",
            "need", "needs", "needed", "keep", "keeps", "kept", "put", "puts", "help", "helps", "helped", "tell", "tells",
            "told", "ask", "asks", "asked", "seem", "seems", "seemed", "become", "becomes", "became", "leave", "leaves",
            "left", "bring", "brings", "brought", "begin", "begins", "began", "believe", "believes", "believed", "hold",
            "holds", "held", "mean", "means", "meant", "must", "cause", "causes", "caused", "lead", "leads", "led", "result",
            "results", "resulted", "contain", "contains", "contained", "consist", "consists", "consisted", "use", "used",
            "uses", "follow", "follows", "followed", "precede", "precedes", "preceded", "located", "based", "situated",
            "part", "kind", "kinds", "sort", "sorts", "type", "types", "lot", "lots", "way", "ways", "thing", "things",
            "heard", "shown", "found", "paid", "built", "sent", "spent", "lost", "won", "begun", "bought", "caught", "taught", "felt",
            "met", "sold", "won't", "don't", "can't", "isn't", "aren't", "wasn't", "weren't", "doesn't", "didn't"));

    /** Nouns in -ly, which the adverb rule would otherwise drop. */
    private static final Set<String> LY_NOUNS = Set.of("family", "assembly", "ally", "supply", "reply", "monopoly", "anomaly",
            "butterfly", "rally", "jelly", "bully", "lily", "folly", "belly", "fly", "holly", "july", "italy", "homily", "gully");

    private Words() {
    }

    /** Whether a lowercased word ends a noun phrase. */
    static boolean isFunction(String lower) {
        return FUNCTION.contains(lower);
    }

    /** Whether a lowercased word can be part of a noun phrase: not a closed-class or frequent verb, not an -ing/-ed form. */
    static boolean isContent(Token t) {
        if (!t.word()) {
            return false;
        }
        String w = t.lower();
        if (FUNCTION.contains(w)) {
            return false;
        }
        int n = w.length();
        boolean digits = true;
        for (int i = 0; i < n && digits; i++) {
            digits = Character.isDigit(w.charAt(i)) || w.charAt(i) == '.' || w.charAt(i) == ',';
        }
        boolean lower = !Character.isUpperCase(t.text().charAt(0));
        boolean adverb = n > 4 && w.endsWith("ly") && lower && !LY_NOUNS.contains(w);
        return !digits && !adverb && !(n > 5 && (w.endsWith("ing") || w.endsWith("ed")) && lower);
    }

    /** Whether a lowercased word ends like a plural noun or a verb in -s ({@code animals}, {@code shelters}, {@code nation's}). */
    static boolean looksPlural(String lower) {
        return lower.length() > 3 && lower.endsWith("s") && !lower.endsWith("ss") && !lower.endsWith("us") && !lower.endsWith("is");
    }

    /**
     * A noun's singular by suffix rules: {@code policies -> policy}, {@code taxes -> tax},
     * {@code wolves -> wolf}, {@code lions -> lion}; words in {@code -ss}, {@code -us}, {@code -is}
     * and short words stay as they are.
     */
    static String singular(String lower) {
        int n = lower.length();
        if (n <= 3 || !lower.endsWith("s") || lower.endsWith("ss") || lower.endsWith("us") || lower.endsWith("is")) {
            return lower;
        }
        if (lower.endsWith("ies") && n > 4) {
            return lower.substring(0, n - 3) + "y";
        }
        if (lower.endsWith("ves") && n > 4) {
            return lower.substring(0, n - 3) + "f";
        }
        if (lower.endsWith("aches") && !lower.endsWith("eaches") && !lower.endsWith("oaches")) {
            return lower.substring(0, n - 1); // headaches, caches
        }
        if (lower.endsWith("sses") || lower.endsWith("xes") || lower.endsWith("ches") || lower.endsWith("shes")
                || lower.endsWith("zes")) {
            return lower.substring(0, n - 2);
        }
        return lower.substring(0, n - 1);
    }
}
