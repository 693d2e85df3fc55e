package dev.notebench.associations;

/**
 * Two terms seen in the same sentence (or window) more often than chance: how often, and their
 * pointwise mutual information over sentences, {@code log(p(a,b) / (p(a) p(b)))}, also normalized
 * to [-1, 1] ({@code npmi = pmi / -log p(a,b)}).
 *
 * @param a the first term (lowercased, singular), alphabetically before {@code b}
 * @param b the second term
 * @param count sentences (windows) holding both
 * @param pmi pointwise mutual information, natural log
 * @param npmi normalized PMI
 */
public record Cooccurrence(String a, String b, int count, double pmi, double npmi) {
}
