package dev.notebench.magics;

/** Reading a notebook's variables from a magic, by name, with one usage error when the name is wrong. */
public final class NotebookVariables {
    private NotebookVariables() {
    }

    /**
     * The value of a variable of the notebook, which must be of {@code type}.
     *
     * @param context the kernel
     * @param name the variable's name, e.g. {@code mail}
     * @param type what it must hold
     * @param magic the magic asking, e.g. {@code %%enrich}, for the message
     * @param usage the magic's usage line, for the message
     * @param <T> the type
     * @throws MagicUsageException naming what is wrong with the variable
     */
    public static <T> T get(NotebookContext context, String name, Class<T> type, String magic, String usage) {
        if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
            throw new MagicUsageException(magic, "'" + name + "' is not a variable name", usage);
        }
        Object value;
        try {
            value = context.eval(name);
        } catch (Exception e) {
            throw new MagicUsageException(magic, "no variable " + name + " in this notebook (" + e.getMessage() + ")", usage);
        }
        if (!type.isInstance(value)) {
            throw new MagicUsageException(magic, name + " is " + (value == null ? "null" : "a " + value.getClass().getSimpleName())
                    + ", not a " + type.getSimpleName(), usage);
        }
        return type.cast(value);
    }
}
