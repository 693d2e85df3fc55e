package dev.notebench.kernel.eval;

import java.util.ArrayList;
import java.util.List;

/** The cell does not compile; each problem is shown at its place in the source. */
public final class CompileError extends CellException {
    private static final long serialVersionUID = 1L;

    private final List<String> lines;

    /**
     * A compile problem.
     *
     * @param message the compiler's message
     * @param source the snippet's source
     * @param start the problem's start offset in {@code source}, or -1
     * @param end its end offset, or -1
     */
    public record Problem(String message, String source, long start, long end) {
    }

    CompileError(List<Problem> problems) {
        super(problems.isEmpty() ? "the cell does not compile" : firstLine(problems.get(0).message()), null);
        List<String> out = new ArrayList<>();
        for (Problem p : problems) {
            String[] msg = p.message().split("\\R");
            out.add(headline("CompileError", msg[0]));
            for (int i = 1; i < msg.length; i++) {
                if (!msg[i].strip().startsWith("location:")) {
                    out.add("  " + msg[i].strip());
                }
            }
            if (p.start() >= 0 && p.start() <= p.source().length()) {
                int s = (int) p.start();
                int lineStart = p.source().lastIndexOf('\n', Math.max(0, s - 1)) + 1;
                if (s == 0) {
                    lineStart = 0;
                }
                int lineEnd = p.source().indexOf('\n', s);
                if (lineEnd < 0) {
                    lineEnd = p.source().length();
                }
                String line = p.source().substring(lineStart, lineEnd);
                int e = (int) Math.min(Math.max(p.end(), s + 1), lineEnd);
                out.add("  | " + line);
                out.add("  | " + " ".repeat(s - lineStart) + RED + "^".repeat(Math.max(1, e - s)) + RESET);
            }
        }
        this.lines = List.copyOf(out);
    }

    private static String firstLine(String s) {
        String[] parts = s.split("\\R", 2);
        return parts[0];
    }

    @Override
    public List<String> lines() {
        return lines;
    }
}
