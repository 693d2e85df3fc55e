package dev.notebench.magics.builtin;

import dev.notebench.magics.MagicUsageException;

import io.github.spencerpark.jupyter.kernel.magic.registry.MagicArgsParseException;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicsArgs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The arguments one magic accepts, declared once with basekernel's {@link MagicsArgs}, and the
 * usage line shown when they are wrong.
 *
 * <pre>{@code
 * static final String USAGE = "%maven GROUP:ARTIFACT:VERSION... [--repo URL]...";
 * private static final MagicSyntax SYNTAX = MagicSyntax.of("%maven", USAGE,
 *         MagicsArgs.builder().varargs("coordinates").keyword("repo").onlyKnownKeywords().onlyKnownFlags().build());
 *
 * MagicSyntax.Arguments a = SYNTAX.parse(args);   // throws MagicUsageException when wrong
 * }</pre>
 */
public final class MagicSyntax {
    private final String magic;
    private final String usage;
    private final MagicsArgs spec;
    private final Set<String> switches;

    private MagicSyntax(String magic, String usage, MagicsArgs spec, Set<String> switches) {
        this.magic = Objects.requireNonNull(magic, "magic");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.switches = Set.copyOf(switches);
    }

    /**
     * Declares a magic's arguments.
     *
     * @param magic the magic as typed, e.g. {@code %maven}
     * @param usage the usage line
     * @param spec the argument schema
     * @return the syntax
     */
    public static MagicSyntax of(String magic, String usage, MagicsArgs spec) {
        return new MagicSyntax(magic, usage, spec, Set.of());
    }

    /**
     * Returns a copy in which {@code --name} alone switches a keyword on (basekernel's keywords
     * always take a value; flags only have one-letter forms). Declare each as a keyword in the spec.
     *
     * @param names the keywords that may stand alone
     */
    public MagicSyntax withSwitches(String... names) {
        Set<String> all = new HashSet<>(switches);
        all.addAll(List.of(names));
        return new MagicSyntax(magic, usage, spec, all);
    }

    /** Returns the usage line. */
    public String usage() {
        return usage;
    }

    /**
     * Parses arguments as split by the kernel.
     *
     * @param args the arguments after the magic's name
     * @return the parsed arguments
     * @throws MagicUsageException saying what is wrong, with the usage
     */
    public Arguments parse(List<String> args) {
        try {
            List<String> given = new ArrayList<>(args.size());
            for (String a : args) {
                given.add(a.startsWith("--") && switches.contains(a.substring(2)) ? a + "=true" : a);
            }
            return new Arguments(spec.parse(given));
        } catch (MagicArgsParseException e) {
            throw error(describe(e.getMessage()));
        }
    }

    /**
     * Returns an error for a problem found after parsing (a bad value, say).
     *
     * @param problem what is wrong
     * @return the exception to throw
     */
    public MagicUsageException error(String problem) {
        return new MagicUsageException(magic, problem, usage);
    }

    private static String describe(String message) {
        String m = message == null ? "bad arguments" : message.strip();
        if (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        return m.isEmpty() ? "bad arguments" : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
    }

    /** Parsed arguments: values by the names declared in the schema. */
    public final class Arguments {
        private final Map<String, List<String>> values;

        Arguments(Map<String, List<String>> values) {
            this.values = values;
        }

        /**
         * Returns every value given for a name, in order (empty when none).
         *
         * @param name a positional, varargs, keyword or flag name
         */
        public List<String> all(String name) {
            List<String> v = values.get(name);
            return v == null ? List.of() : List.copyOf(v);
        }

        /**
         * Returns whether a keyword or flag was given.
         *
         * @param name the keyword or flag name
         */
        public boolean has(String name) {
            List<String> v = values.get(name);
            return v != null && !v.isEmpty();
        }

        /**
         * Returns the last value given for a name, or {@code fallback}.
         *
         * @param name the name
         * @param fallback the value when none was given
         */
        public String get(String name, String fallback) {
            List<String> v = values.get(name);
            return v == null || v.isEmpty() ? fallback : v.get(v.size() - 1);
        }

        /**
         * Returns the value of a name as an integer within bounds, or {@code fallback}.
         *
         * @param name the name
         * @param fallback the value when none was given
         * @param min the smallest allowed value
         * @param max the largest allowed value
         * @throws MagicUsageException when the value is not an integer within bounds
         */
        public int getInt(String name, int fallback, int min, int max) {
            String v = get(name, null);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.strip());
                if (n < min || n > max) {
                    throw error("--" + name + " must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw error("--" + name + " must be an integer, got '" + v + "'");
            }
        }
    }
}
