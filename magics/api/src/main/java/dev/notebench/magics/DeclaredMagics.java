package dev.notebench.magics;

import java.util.Optional;

/**
 * Magics whose options are declared as {@link MagicOptions}: {@code %help} and {@code %lsmagic}
 * show the usage and the option list derived from the declaration instead of a hand-written
 * {@link MagicDoc#usage()}.
 *
 * <pre>{@code
 * public Optional<MagicOptions> syntax(String magic) {
 *     return magic.equals("generate") ? Optional.of(GENERATE) : Optional.empty();
 * }
 * }</pre>
 */
public interface DeclaredMagics {
    /**
     * The declared syntax of one of this object's magics.
     *
     * @param magic the magic's name without {@code %}
     * @return its syntax, or empty when it has none declared
     */
    Optional<MagicOptions> syntax(String magic);
}
