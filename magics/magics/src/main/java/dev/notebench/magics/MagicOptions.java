package dev.notebench.magics;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import java.util.ArrayList;
import java.util.List;
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
 * }</pre>
 */
public final class MagicOptions {
    private final String magic;
    private final OptionSet options;
    private final List<String> forms;

    private MagicOptions(String magic, OptionSet options, List<String> forms) {
        this.magic = Objects.requireNonNull(magic, "magic");
        this.options = Objects.requireNonNull(options, "options");
        this.forms = List.copyOf(forms);
    }

    /**
     * Declares a magic's options.
     *
     * @param magic the magic as typed, e.g. {@code %generate}
     * @param options its options
     * @return the syntax
     */
    public static MagicOptions of(String magic, OptionSet options) {
        return new MagicOptions(magic, options, List.of());
    }

    /**
     * Returns a copy whose usage also shows other forms of the magic (sub-commands, say), each as
     * typed after the magic's name, e.g. {@code "attach --run RUN_DIR"}.
     */
    public MagicOptions withForms(String... more) {
        List<String> all = new ArrayList<>(forms);
        all.addAll(List.of(more));
        return new MagicOptions(magic, options, all);
    }

    /** The magic as typed, e.g. {@code %generate}. */
    public String magic() {
        return magic;
    }

    /** Its options. */
    public OptionSet options() {
        return options;
    }

    /** The usage line: the options' synopsis, then the other forms after {@code |}. */
    public String usage() {
        StringBuilder s = new StringBuilder(magic).append(' ').append(options.synopsis());
        for (String f : forms) {
            s.append("  |  ").append(magic).append(' ').append(f);
        }
        return s.toString();
    }

    /**
     * Parses arguments as split by the kernel.
     *
     * @param args the arguments after the magic's name
     * @return the values
     * @throws MagicUsageException saying what is wrong, with the usage
     */
    public OptionValues parse(List<String> args) {
        try {
            return options.parse(args);
        } catch (NotebenchException e) {
            throw error(e.getMessage());
        }
    }

    /**
     * Parses the arguments of another form of this magic (a sub-command's options, say), with
     * this magic's usage in the error.
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
            throw error(e.getMessage());
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
                throw error(e.getMessage());
            }
            throw e;
        }
    }
}
