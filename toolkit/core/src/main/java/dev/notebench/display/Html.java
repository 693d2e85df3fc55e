package dev.notebench.display;

import java.util.Objects;

/**
 * An HTML fragment to show as {@code text/html}, with a plain-text fallback for terminals and
 * consoles.
 *
 * @param html the HTML fragment
 * @param text what to show where HTML cannot be rendered
 */
public record Html(String html, String text) {

    /** Validates the parts. */
    public Html {
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(text, "text");
    }

    /** An HTML fragment whose text fallback is the HTML itself. */
    public static Html of(String html) {
        return new Html(html, html);
    }

    /** Escapes {@code &, <, >, ", '} so that {@code s} shows as literal text inside HTML. */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
