package dev.notebench.associations;

/**
 * A token of a text: a word (letters and digits, with inner apostrophes, hyphens and the dots of
 * abbreviations such as {@code U.S.}), or one punctuation character.
 *
 * @param text the token as written
 * @param lower the token lowercased
 * @param start its first character's offset in the text
 * @param end the offset after its last character
 * @param word whether it is a word (else punctuation)
 */
public record Token(String text, String lower, int start, int end, boolean word) {
}
