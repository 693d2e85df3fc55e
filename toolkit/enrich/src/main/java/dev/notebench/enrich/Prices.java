package dev.notebench.enrich;

/**
 * What a provider charges, in any currency, per million prompt and completion tokens, for the
 * estimated cost in a summary.
 *
 * @param inputPerMillion the price of a million prompt tokens
 * @param outputPerMillion the price of a million completion tokens
 */
public record Prices(double inputPerMillion, double outputPerMillion) {
    /** Checks the prices. */
    public Prices {
        if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0)) {
            throw new IllegalArgumentException("prices must be 0 or more, got " + inputPerMillion + " and " + outputPerMillion);
        }
    }

    /** The cost of the given tokens. */
    public double cost(long tokensIn, long tokensOut) {
        return tokensIn / 1e6 * inputPerMillion + tokensOut / 1e6 * outputPerMillion;
    }
}
