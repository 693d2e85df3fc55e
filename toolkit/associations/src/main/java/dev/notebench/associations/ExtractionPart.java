package dev.notebench.associations;

import java.util.List;

/**
 * What {@link Extractor#extractPart} found in one part of a larger input.
 *
 * @param associations the part's associations, by concept, then sentence, then position, numbered in the whole input
 * @param failures the part's concepts that could not be read
 * @param units the part's co-occurrence units (sentences, or windows of tokens), each its distinct terms in
 *              alphabetical order; empty units count too; no units when co-occurrence is not counted
 * @param sentences sentences read
 */
public record ExtractionPart(List<Association> associations, List<Failure> failures, List<List<String>> units, long sentences) {
    /** Copies the lists. */
    public ExtractionPart {
        associations = List.copyOf(associations);
        failures = List.copyOf(failures);
        units = List.copyOf(units);
    }
}
