package dev.notebench.magics;

import dev.notebench.FrontEnd;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The syntax of a magic whose options are a capability's {@link OptionSet}: the parser, the usage
 * line and the option list of {@code %help} are all derived from that one declaration, so the
 * magic, the command line and batch manifests accept the same options.
 *
 * <pre>{@code
 * static final MagicOptions GENERATE = MagicOptions.of("%generate", GenerateOptions.OPTIONS.plus(INTERACTIVE));
 *
 * OptionValues v = GENERATE.parse(args);   // throws MagicUsageException when wrong
 *
 * static final MagicOptions TOKENIZER = MagicOptions.commands("%tokenizer")
 *         .withCommand("train", TokenizerOptions.TRAIN).withCommand("encode", TokenizerOptions.ENCODE);
 * MagicOptions.Invocation call = TOKENIZER.parseCommand(args);   // call.command() is "train" or "encode"
 * }</pre>
 */
public final class MagicOptions {
    private final String magic;
    private final OptionSet options;
    private final Map<String, OptionSet> commands;

    private MagicOptions(String magic, OptionSet options, Map<String, OptionSet> commands) {
        this.magic = Objects.requireNonNull(magic, "magic");
        this.options = options;
        this.commands = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(commands));
    }

    /**
     * One call of a magic: the command (empty for the magic's own form) and its values.
     *
     * @param command the sub-command's name, or {@code ""}
     * @param values its option values
     */
    public record Invocation(String command, OptionValues values) {
    }

    /**
     * Declares a magic's options.
     *
     * @param magic the magic as typed, e.g. {@code %generate}
     * @param options its options
     * @return the syntax
     */
    public static MagicOptions of(String magic, OptionSet options) {
        return new MagicOptions(magic, Objects.requireNonNull(options, "options"), Map.of());
    }

    /**
     * Declares a magic that is only sub-commands ({@code %tokenizer train|encode|stats}); add
     * them with {@link #withCommand}.
     *
     * @param magic the magic as typed
     * @return the syntax, without commands yet
     */
    public static MagicOptions commands(String magic) {
        return new MagicOptions(magic, null, Map.of());
    }

    /**
     * Returns a copy with a sub-command: {@code %magic name OPTIONS}.
     *
     * @param name the command's word, e.g. {@code attach}
     * @param form its options
     */
    public MagicOptions withCommand(String name, OptionSet form) {
        Map<String, OptionSet> all = new LinkedHashMap<>(commands);
        all.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(form, "form"));
        return new MagicOptions(magic, options, all);
    }

    /** The magic as typed, e.g. {@code %generate}. */
    public String magic() {
        return magic;
    }

    /** The options of the magic's own form; empty when it is only sub-commands. */
    public OptionSet options() {
        return options != null ? options : OptionSet.of();
    }

    /** The sub-commands and their options, in declaration order. */
    public Map<String, OptionSet> commandForms() {
        return commands;
    }

    /** The usage line: the magic's own form, then each sub-command, separated by {@code |}. */
    public String usage() {
        StringBuilder s = new StringBuilder();
        if (options != null) {
            s.append(magic).append(' ').append(options.synopsis());
        }
        commands.forEach((name, form) -> s.append(s.length() > 0 ? "  |  " : "").append(magic).append(' ').append(name)
                .append(form.synopsis().isEmpty() ? "" : " " + form.synopsis()));
        return s.toString();
    }

    /** The option list of {@code %help}: the magic's own options, then each sub-command's under its name. */
    public String help() {
        StringBuilder s = new StringBuilder(options().help());
        commands.forEach((name, form) -> {
            if (!form.options().isEmpty() || form.positional().isPresent()) {
                s.append(s.length() > 0 ? "\n" : "").append(magic).append(' ').append(name).append(":\n").append(form.help());
            }
        });
        return s.toString();
    }

    /**
     * Parses a call that may name a sub-command first.
     *
     * @param args the arguments after the magic's name
     * @return the command ({@code ""} for the magic's own form) and its values
     * @throws MagicUsageException saying what is wrong, with the usage
     */
    public Invocation parseCommand(List<String> args) {
        String first = args.isEmpty() ? null : args.get(0);
        if (first != null && commands.containsKey(first)) {
            return new Invocation(first, parse(commands.get(first), args.subList(1, args.size())));
        }
        if (options == null || !commands.isEmpty() && first != null && !first.startsWith("--") && options.positional().isEmpty()) {
            List<String> names = List.copyOf(commands.keySet());
            String choices = names.size() == 1 ? names.get(0)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
            throw error(first == null ? "give a command: " + choices : "unknown command '" + first + "'; use " + choices);
        }
        return new Invocation("", parse(args));
    }

    /**
     * Parses arguments as split by the kernel.
     *
     * @param args the arguments after the magic's name
     * @return the values
     * @throws MagicUsageException saying what is wrong, with the usage
     */
    public OptionValues parse(List<String> args) {
        if (options == null) {
            return parseCommand(args).values();
        }
        return parse(options, args);
    }

    /**
     * Parses the arguments of one form of this magic, with this magic's usage in the error.
     *
     * @param form the options of that form
     * @param args its arguments
     * @return the values
     * @throws MagicUsageException saying what is wrong, with the usage
     */
    public OptionValues parse(OptionSet form, List<String> args) {
        try {
            return form.parse(args);
        } catch (NotebenchException e) {
            throw error(e.message(FrontEnd.NOTEBOOK));
        }
    }

    /**
     * Returns an error for a problem found after parsing (a bad combination, say).
     *
     * @param problem what is wrong
     * @return the exception to throw
     */
    public MagicUsageException error(String problem) {
        return new MagicUsageException(magic, problem, usage());
    }

    /**
     * Runs {@code body}, turning a configuration error (a value a library refused) into this
     * magic's usage error; other errors pass.
     *
     * @param body the work
     * @return what it returns
     */
    public <T> T checked(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (MagicUsageException e) {
            throw e;
        } catch (NotebenchException e) {
            if (e.code() == ErrorCode.CONFIG_INVALID) {
                throw error(e.message(FrontEnd.NOTEBOOK));
            }
            throw e;
        }
    }
}
