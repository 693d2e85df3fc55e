package dev.notebench.cli;

import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.options.ValueType;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Commands whose options a capability declares ({@link OptionSet}): picocli's model of the
 * command is generated from the declaration, so that {@code --help}, "Did you mean",
 * type errors and exit status 2 stay picocli's while the options, their types, ranges, defaults
 * and help are the ones the magic and batch manifests use. The command reads typed values with
 * {@link #values}, which parses what picocli matched with the declaration itself.
 *
 * <pre>{@code
 * @Command(name = "score", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class)
 * final class Score implements Callable<Integer>, Declared.Command {
 *     @CommandLine.Spec CommandLine.Model.CommandSpec spec;
 *     public OptionSet options() { return ModelOptions.SCORE; }
 *     public Integer call() { OptionValues v = Declared.values(spec, options()); ... }
 * }
 * }</pre>
 */
final class Declared {
    private Declared() {
    }

    /** A command whose options are a declared {@link OptionSet}. */
    interface Command {
        /** The declaration. */
        OptionSet options();
    }

    /** picocli's model transformer that adds a {@link Command}'s declared options and positional words. */
    static final class Transformer implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            OptionSet set = ((Command) spec.userObject()).options();
            spec.usageMessage().sortOptions(false).sortSynopsis(false);
            set.positional().ifPresent(p -> spec.addPositional(PositionalParamSpec.builder().index("0..*")
                    .arity(p.min() > 0 ? p.min() + "..*" : "0..*").paramLabel(p.label()).description(escape(p.help()))
                    .type(List.class).auxiliaryTypes(String.class).build()));
            for (Option<?> o : set.options()) {
                spec.addOption(option(o, o.isRequired() && set.alternatives().isEmpty()));
            }
            return spec;
        }
    }

    private static OptionSpec option(Option<?> o, boolean required) {
        OptionSpec.Builder b = OptionSpec.builder("--" + o.name()).description(escape(capitalized(o.describe()) + "."))
                .required(required);
        if (o.isFlag()) {
            return b.arity("0").type(boolean.class).build();
        }
        CommandLine.ITypeConverter<?> converter = text -> {
            try {
                return o.type().parse(text);
            } catch (ValueType.Invalid e) {
                throw new CommandLine.TypeConversionException("'" + text + "' " + e.getMessage());
            }
        };
        b.paramLabel(o.label()).arity("1").converters(converter);
        if (o.isRepeatable()) {
            return b.type(List.class).auxiliaryTypes(o.type().javaType()).build();
        }
        return b.type(o.type().javaType()).build();
    }

    /**
     * The typed values of a command's declared options, as given on its command line.
     *
     * @param spec the command's spec, after parsing
     * @param set its declaration
     * @return the values
     * @throws CommandLine.ParameterException (exit status 2) when the declaration refuses them
     */
    static OptionValues values(CommandSpec spec, OptionSet set) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        List<String> words = new ArrayList<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            String name = o.longestName();
            if (set.find(name.substring(2)).isEmpty()) {
                continue; // --help, --log-level and the like are picocli's
            }
            if (o.arity().max() == 0) {
                words.add(name);
            }
            for (String v : o.arity().max() == 0 ? List.<String>of() : o.originalStringValues()) {
                words.add(name);
                words.add(v);
            }
        }
        if (set.positional().isPresent()) {
            words.add("--");
            for (PositionalParamSpec p : parsed.matchedPositionals()) {
                words.addAll(p.originalStringValues());
            }
        }
        try {
            return set.parse(words);
        } catch (NotebenchException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.message(FrontEnd.COMMAND_LINE));
        }
    }

    /**
     * Runs a check of a command's values that the declaration cannot say (options given together,
     * a word among several): a configuration error it raises is a usage error (exit status 2), as
     * a bad value is; other errors pass.
     *
     * @param spec the command's spec
     * @param check the check, returning what it derived
     * @return what the check returns
     */
    static <T> T checked(CommandSpec spec, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (NotebenchException e) {
            if (e.code() != dev.notebench.ErrorCode.CONFIG_INVALID) {
                throw e;
            }
            throw new CommandLine.ParameterException(spec.commandLine(), e.message(FrontEnd.COMMAND_LINE));
        }
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String escape(String s) {
        return s.replace("%", "%%");
    }
}
