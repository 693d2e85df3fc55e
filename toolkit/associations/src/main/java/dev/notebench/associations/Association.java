package dev.notebench.associations;

/**
 * One relation found in a text, with its provenance.
 *
 * @param concept the index of the concept (table row, line) it was found in
 * @param sentence the sentence's index within the concept
 * @param sentenceStart the sentence's first character offset in the concept's text
 * @param sentenceEnd the offset after the sentence's last character
 * @param source the source noun phrase as written, e.g. {@code lions}
 * @param relation the relation, e.g. {@code is-a}
 * @param target the target noun phrase as written, e.g. {@code dangerous animals}
 * @param sourceHead the source's head word, lowercased and singular, e.g. {@code lion}
 * @param targetHead the target's head word, lowercased and singular, e.g. {@code animal}
 * @param confidence the pattern's confidence
 * @param pattern the pattern that matched
 */
public record Association(int concept, int sentence, int sentenceStart, int sentenceEnd, String source, String relation,
                          String target, String sourceHead, String targetHead, double confidence, String pattern) {
}
