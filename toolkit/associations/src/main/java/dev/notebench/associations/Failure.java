package dev.notebench.associations;

/**
 * A concept that could not be read (not text, or an error while extracting): the others are
 * extracted all the same.
 *
 * @param concept the concept's index
 * @param error what went wrong
 */
public record Failure(int concept, String error) {
}
