package dev.notebench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who shows a message to the user, and so how a Notebench command named in it is spelled. A
 * library names a command once, by its words and options ({@link #command(String)}: {@code train
 * --resume runs/x}); the command line shows it as {@code ./notebench train --resume runs/x}, a
 * notebook as {@code %train --resume runs/x}. The words and options are the same in both: every
 * command's options are declared once ({@code dev.notebench.options}).
 *
 * <pre>{@code
 * throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + dir + " exists; resume it with "
 *         + FrontEnd.command("train --resume " + dir));
 * // ./notebench: "... resume it with ./notebench train --resume runs/x"
 * // %train:      "... resume it with %train --resume runs/x"
 * }</pre>
 */
public enum FrontEnd {
    /** A Java caller or a log: the command's words alone ({@code train --resume runs/x}). */
    LIBRARY(""),
    /** The {@code ./notebench} launcher. */
    COMMAND_LINE("./notebench "),
    /** A notebook's magics. */
    NOTEBOOK("%");

    private static final char OPEN = '\uE000';
    private static final char CLOSE = '\uE001';
    private static final Pattern MARKED = Pattern.compile(OPEN + "([^" + OPEN + CLOSE + "]*)" + CLOSE);

    private final String prefix;

    FrontEnd(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Marks a command in a message, for each front end to spell its own way.
     *
     * @param words the command's words and options, e.g. {@code "runs"} or {@code "train --cancel runs/x"}
     * @return the marked text to put in a message
     */
    public static String command(String words) {
        return OPEN + words.replace(String.valueOf(OPEN), "").replace(String.valueOf(CLOSE), "") + CLOSE;
    }

    /**
     * Spells the commands marked in a message as this front end shows them.
     *
     * @param message a message, marked or not
     * @return the message as this front end's user reads it
     */
    public String render(String message) {
        if (message == null || message.indexOf(OPEN) < 0) {
            return message;
        }
        Matcher m = MARKED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(prefix + m.group(1)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
