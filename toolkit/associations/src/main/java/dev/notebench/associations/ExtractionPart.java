package dev.notebench.associations;

import java.util.List;

/**
 * What {@link Extractor#extractPart} found in one part of a larger input.
 *
 * @param associations the part's associations, by concept, then sentence, then position, numbered in the whole input
 * @param failures the part's concepts that could not be read
 * @param cooccurrence the part's co-occurrence counts, for the caller to add up over all parts; no units when
 *                     co-occurrence is not counted
 * @param sentences sentences read
 */
public record ExtractionPart(List<Association> associations, List<Failure> failures, CooccurrenceCounts cooccurrence, long sentences) {
    /** Copies the lists. */
    public ExtractionPart {
        associations = List.copyOf(associations);
        failures = List.copyOf(failures);
        java.util.Objects.requireNonNull(cooccurrence, "cooccurrence");
    }
}
