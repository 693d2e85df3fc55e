package dev.notebench.widgets;

import java.util.List;

/** Checks a trait that takes one of a few strings. */
final class Choices {
    private Choices() {
    }

    static String check(String trait, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(trait + " takes one of " + allowed + ", got '" + value + "'");
        }
        return value;
    }
}
