package dev.notebench.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values a process knows (an API key, the values of extra request headers, a webhook
 * URL) and the one way text from outside is cleaned of them before it is stored or shown:
 * {@link #scrub} replaces every echo of a secret by {@value #REDACTED}, whatever a server wrote
 * around it.
 *
 * <p>An echo is found when it is the value itself, wherever it stands ({@code Bearer KEY},
 * {@code "KEY"}, {@code ?key=KEY}); the value as JSON (once or twice, as in a message inside a
 * message), URL or HTML would write it; or a run of at least {@value #MIN_FRAGMENT} characters of
 * a value of {@value #MIN_FRAGMENT_SOURCE} or more (an echo cut off or masked in the middle). A URL
 * (a value with {@code ://}) is found whole, and its path segments and query values of
 * {@value #MIN_FRAGMENT_SOURCE} characters or more (its tokens) also on their own and from parts of
 * them, never from a part of its public beginning ({@code https://hooks.slack.com/...} elsewhere
 * stays). A value shorter than {@value #MIN_ANYWHERE} characters is only replaced where it stands as a
 * whole word, so that a short key does not eat the middle of other words. Blank values are ignored.
 *
 * <p>Immutable: built at the edge where configuration is read, and passed to whatever handles text
 * from servers (no global registry).
 *
 * <pre>{@code
 * Secrets secrets = Secrets.builder()
 *     .fromEnvironment(System.getenv(), "OPENAI_API_KEY")
 *     .header("X-Api-Key", headerValue)
 *     .build();
 * String safe = secrets.scrub(responseBody); // "... Bearer [redacted] ..."
 * }</pre>
 */
public final class Secrets {
    /** What every echo of a secret is replaced by. */
    public static final String REDACTED = "[redacted]";

    /** Values at least this long are replaced wherever they appear; shorter ones only as whole words. */
    public static final int MIN_ANYWHERE = 8;

    /** Values at least this long are also found from a part of them ({@value #MIN_FRAGMENT} characters or more). */
    public static final int MIN_FRAGMENT_SOURCE = 16;

    /** The fewest characters of a long value that count as an echo of it. */
    public static final int MIN_FRAGMENT = 12;

    /** No secrets: {@link #scrub} returns its text unchanged. */
    public static final Secrets NONE = new Secrets(List.of());

    /** Authentication schemes written before a credential in a header value ({@code Bearer KEY}). */
    private static final Pattern SCHEME_AND_CREDENTIAL = Pattern.compile(
            "(?i)(?:bearer|basic|token|bot|key|apikey|api-key|digest|ssws|splunk|deepl-auth-key)\\s+(\\S+)");

    /** Header names whose values are credentials even when short. */
    private static final Pattern SECRET_HEADER = Pattern.compile(
            "(?i).*(authorization|auth|key|token|secret|password|passwd|cookie|session|signature|credential).*");

    private final List<String> values;
    private final List<String> anywhere;
    private final List<Pattern> wholeWords;

    private Secrets(Collection<String> values) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                distinct.add(v.strip());
                if (v.contains("://")) {
                    distinct.addAll(urlTokens(v.strip()));
                }
            }
        }
        List<String> sorted = new ArrayList<>(distinct);
        sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        this.values = List.copyOf(sorted);
        Set<String> forms = new LinkedHashSet<>();
        List<Pattern> words = new ArrayList<>();
        for (String v : this.values) {
            for (String form : forms(v)) {
                if (form.length() >= MIN_ANYWHERE) {
                    forms.add(form);
                } else {
                    words.add(Pattern.compile("(?<![\\p{Alnum}_-])" + Pattern.quote(form) + "(?![\\p{Alnum}_-])"));
                }
            }
        }
        List<String> longestFirst = new ArrayList<>(forms);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        this.anywhere = List.copyOf(longestFirst);
        this.wholeWords = List.copyOf(words);
    }

    /**
     * Secrets with these values.
     *
     * @param values the values; null or blank ones are ignored
     */
    public static Secrets of(String... values) {
        return values.length == 0 ? NONE : new Secrets(java.util.Arrays.asList(values));
    }

    /**
     * Secrets with these values.
     *
     * @param values the values; null or blank ones are ignored
     */
    public static Secrets of(Collection<String> values) {
        return values.isEmpty() ? NONE : new Secrets(values);
    }

    /** Starts collecting secrets from the places configuration comes from. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * These secrets and those of {@code other}.
     *
     * @param other more secrets
     */
    public Secrets and(Secrets other) {
        if (other.values.isEmpty()) {
            return this;
        }
        if (values.isEmpty()) {
            return other;
        }
        List<String> all = new ArrayList<>(values);
        all.addAll(other.values);
        return new Secrets(all);
    }

    /** Whether there is no secret to scrub. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** How many distinct values are held. */
    public int size() {
        return values.size();
    }

    /**
     * The text with every echo of a secret replaced by {@value #REDACTED}.
     *
     * @param text any text from outside (a server's answer, an exception's message); null stays null
     */
    public String scrub(String text) {
        if (text == null || values.isEmpty() || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String form : anywhere) {
            if (out.contains(form)) {
                out = out.replace(form, REDACTED);
            }
        }
        for (Pattern p : wholeWords) {
            Matcher m = p.matcher(out);
            if (m.find()) {
                out = m.replaceAll(Matcher.quoteReplacement(REDACTED));
            }
        }
        for (String v : values) {
            if (v.length() >= MIN_FRAGMENT_SOURCE && !v.contains("://")) {
                out = scrubFragments(out, v);
            }
        }
        return out;
    }

    /**
     * Whether a text holds an echo of a secret (what {@link #scrub} would replace).
     *
     * @param text the text
     */
    public boolean isFoundIn(CharSequence text) {
        if (text == null || values.isEmpty()) {
            return false;
        }
        String s = text.toString();
        return !scrub(s).equals(s);
    }

    /**
     * The message of a failure with every echo of a secret replaced, or null when it has none.
     *
     * @param failure an exception, e.g. an I/O error whose message quotes a server
     */
    public String scrubMessage(Throwable failure) {
        return failure == null ? null : scrub(failure.getMessage());
    }

    /**
     * Whether the message of a failure or of any of its causes holds an echo of a secret.
     *
     * @param failure the exception
     */
    public boolean isFoundIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isFoundIn(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The parts of a URL that carry its secret: the password of its user info, and its path
     * segments and query values of {@value #MIN_FRAGMENT_SOURCE} characters or more; never its host.
     */
    private static List<String> urlTokens(String url) {
        List<String> tokens = new ArrayList<>();
        int start = url.indexOf("://") + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        int at = authority.lastIndexOf('@');
        int colon = at < 0 ? -1 : authority.indexOf(':');
        if (colon >= 0 && colon < at) {
            tokens.add(authority.substring(colon + 1, at));
        }
        for (String part : url.substring(end).split("[/?&=#;]")) {
            if (part.length() >= MIN_FRAGMENT_SOURCE) {
                tokens.add(part);
            }
        }
        return tokens;
    }

    /** Replaces every run of {@link #MIN_FRAGMENT} or more characters that is also a run of {@code secret}. */
    private static String scrubFragments(String text, String secret) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i + MIN_FRAGMENT <= text.length()) {
            int longest = longestRunAt(text, i, secret);
            if (longest >= MIN_FRAGMENT) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, i).append(REDACTED);
                i += longest;
                copied = i;
            } else {
                i++;
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** The length of the longest run of {@code secret} that {@code text} holds from {@code at} on. */
    private static int longestRunAt(String text, int at, String secret) {
        int best = 0;
        char first = text.charAt(at);
        for (int s = secret.indexOf(first); s >= 0; s = secret.indexOf(first, s + 1)) {
            int n = 0;
            while (at + n < text.length() && s + n < secret.length() && text.charAt(at + n) == secret.charAt(s + n)) {
                n++;
            }
            best = Math.max(best, n);
        }
        return best;
    }

    /** The ways a value may be written back: as is, as JSON (once, twice, with escaped slashes), as URL and HTML text. */
    private static Set<String> forms(String v) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(v);
        String json = json(v, false, false);
        forms.add(json);
        forms.add(json(json, false, false));
        forms.add(json(v, true, false));
        forms.add(json(v, false, true));
        forms.add(json.replace("/", "\\/"));
        forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
        forms.add(html(v));
        forms.add(html(v).replace("&#39;", "&#x27;").replace("&quot;", "&#34;"));
        return forms;
    }

    /**
     * A value as a JSON string's content: quotes, backslashes and control characters escaped; with
     * {@code asciiOnly} also every non-ASCII character; with {@code htmlSafe} also {@code < > & = '}
     * (as Gson writes by default).
     */
    private static String json(String s, boolean asciiOnly, boolean htmlSafe) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    boolean escape = c < 0x20 || (asciiOnly && c > 0x7e)
                            || (htmlSafe && (c == '<' || c == '>' || c == '&' || c == '=' || c == '\''));
                    b.append(escape ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
                }
            }
        }
        return b.toString();
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** {@code Secrets[N values]}: never a value. */
    @Override
    public String toString() {
        return "Secrets[" + values.size() + (values.size() == 1 ? " value]" : " values]");
    }

    /** Collects secrets from the places configuration comes from. */
    public static final class Builder {
        private final List<String> values = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a value (a key, a token, a URL with a token in it).
         *
         * @param value the value; null or blank is ignored
         */
        public Builder value(String value) {
            values.add(value);
            return this;
        }

        /**
         * Adds the values of environment variables that hold secrets.
         *
         * @param environment the variables
         * @param names the names of those that hold secrets; unset ones are ignored
         */
        public Builder fromEnvironment(Map<String, String> environment, String... names) {
            Objects.requireNonNull(environment, "environment");
            for (String name : names) {
                if (name != null) {
                    values.add(environment.get(name));
                }
            }
            return this;
        }

        /**
         * Adds the value of a request header: the whole value, and the credential after an
         * authentication scheme ({@code Bearer KEY}: also {@code KEY}). Values of headers that do not
         * look like credentials are kept only when at least {@value #MIN_ANYWHERE} characters long,
         * so that {@code X-Debug: 1} does not blank every "1" in an answer.
         *
         * @param name the header's name
         * @param value its value
         */
        public Builder header(String name, String value) {
            if (value == null || value.isBlank()) {
                return this;
            }
            String v = value.strip();
            boolean credential = name != null && SECRET_HEADER.matcher(name).matches();
            if (credential || v.length() >= MIN_ANYWHERE) {
                values.add(v);
            }
            Matcher m = SCHEME_AND_CREDENTIAL.matcher(v);
            if (m.matches()) {
                values.add(m.group(1));
            }
            return this;
        }

        /**
         * Adds these secrets.
         *
         * @param secrets secrets collected elsewhere
         */
        public Builder add(Secrets secrets) {
            values.addAll(secrets.values);
            return this;
        }

        /** The secrets collected. */
        public Secrets build() {
            return values.stream().allMatch(v -> v == null || v.isBlank()) ? NONE : new Secrets(values);
        }
    }
}
