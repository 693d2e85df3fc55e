package dev.notebench.kernel.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.spencerpark.jupyter.kernel.magic.CellMagicParseContext;
import io.github.spencerpark.jupyter.kernel.magic.LineMagicParseContext;
import io.github.spencerpark.jupyter.kernel.magic.MagicParser;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns magics in a cell into Java calls, as IJava does, so that magics and code mix in one cell
 * and a magic's value can be assigned: a line {@code %name args} at the start of a line or after
 * {@code =} becomes {@code lineMagic("name", List.of("args"));{};}, and a cell starting with
 * {@code %%name args} becomes one {@code cellMagic("name", List.of("args"), "body");{};} call.
 * The trailing {@code {};} keeps the call from being shown as the cell's value.
 */
public final class MagicTranslator {
    private static final Pattern UNESCAPED_QUOTE = Pattern.compile("(?<!\\\\)\"");
    private static final Pattern BARE_CELL_MAGIC = Pattern.compile("^\\s*%%(\\w+)[^\\n]*\\s*$");
    private static final Pattern LINE_NAME = Pattern.compile("^\\s*%(\\w+)");
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

    private final MagicParser parser = new MagicParser("(?<=(?:^|=))\\s*%", "%%");
    private final Predicate<String> rawLine;

    /**
     * Creates a translator.
     *
     * @param rawLine whether a line magic takes the rest of its line verbatim
     *     ({@link dev.notebench.magics.RawLine})
     */
    public MagicTranslator(Predicate<String> rawLine) {
        this.rawLine = rawLine;
    }

    /**
     * Translates the magics of a cell.
     *
     * @param cell the cell's source
     * @return Java source
     * @throws UsageError for a cell magic without a body
     */
    public String translate(String cell) throws UsageError {
        CellMagicParseContext cellMagic = parser.parseCellMagic(cell);
        if (cellMagic != null) {
            var call = cellMagic.getMagicCall();
            return "cellMagic(" + literal(call.getName()) + ", " + list(call.getArgs()) + ", "
                    + literal(call.getBody()) + ");{};";
        }
        Matcher bare = BARE_CELL_MAGIC.matcher(cell);
        if (bare.matches()) {
            throw new UsageError("%%" + bare.group(1) + " is a cell magic: put the code it works on in the lines below it");
        }
        return parser.transformLineMagics(cell, this::lineMagic);
    }

    private String lineMagic(LineMagicParseContext ctx) {
        if (insideString(ctx.getRawContextPrefix())) {
            return ctx.getRaw();
        }
        var call = ctx.getMagicCall();
        List<String> args = call.getArgs();
        if (rawLine.test(call.getName())) {
            Matcher m = LINE_NAME.matcher(ctx.getRaw());
            String rest = m.find() ? ctx.getRaw().substring(m.end()).strip() : String.join(" ", args);
            args = rest.isEmpty() ? List.of() : List.of(rest);
        }
        return "lineMagic(" + literal(call.getName()) + ", " + list(args) + ");{};";
    }

    private static boolean insideString(String linePrefix) {
        // the prefix is everything before the magic in the cell: an odd number of quotes on its
        // last line means the % is inside a string literal
        int nl = linePrefix.lastIndexOf('\n');
        Matcher m = UNESCAPED_QUOTE.matcher(nl < 0 ? linePrefix : linePrefix.substring(nl + 1));
        boolean inside = false;
        while (m.find()) {
            inside = !inside;
        }
        return inside;
    }

    private static String list(List<String> items) {
        StringBuilder out = new StringBuilder("java.util.List.of(");
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(literal(items.get(i)));
        }
        return out.append(')').toString();
    }

    /**
     * Returns {@code s} as a Java string literal. A JSON string is one: JSON's escapes are a subset
     * of Java's, and it never writes a raw line break or {@code \\u000a}, which Java would read as one.
     *
     * @param s any string
     */
    static String literal(String s) {
        return JSON.toJson(s);
    }
}
