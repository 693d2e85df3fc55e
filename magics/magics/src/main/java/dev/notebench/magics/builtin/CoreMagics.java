package dev.notebench.magics.builtin;

import dev.notebench.display.Html;
import dev.notebench.magics.host.MagicCatalog;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.host.KernelMagicsProvider;
import dev.notebench.magics.host.KernelContext;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicsArgs;
import java.util.List;
import java.util.Objects;

/** {@code %lsmagic} and {@code %help}: what magics there are and how to use each. */
public final class CoreMagics {
    static final String LSMAGIC_USAGE = "%lsmagic";
    static final String HELP_USAGE = "%help MAGIC";

    private static final MagicSyntax LSMAGIC = MagicSyntax.of("%lsmagic", LSMAGIC_USAGE,
            MagicsArgs.builder().onlyKnownKeywords().onlyKnownFlags().build());
    private static final MagicSyntax HELP = MagicSyntax.of("%help", HELP_USAGE,
            MagicsArgs.builder().required("magic").onlyKnownKeywords().onlyKnownFlags().build());

    private final KernelContext context;

    /**
     * Creates the magics.
     *
     * @param context the kernel
     */
    public CoreMagics(KernelContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Lists every magic with its usage and the first sentence of its help.
     *
     * @param args none
     */
    @LineMagic
    @MagicDoc(usage = LSMAGIC_USAGE,
            summary = "Lists every magic of this kernel, line magics (%name) and cell magics (%%name), "
                    + "with its usage and what it does. %help MAGIC shows one in full.",
            example = "%lsmagic")
    public void lsmagic(List<String> args) {
        LSMAGIC.parse(args);
        StringBuilder html = new StringBuilder("<table class=\"notebench-magics\">\n"
                + "<thead><tr><th>magic</th><th>usage</th><th>what it does</th></tr></thead>\n<tbody>\n");
        StringBuilder text = new StringBuilder();
        for (MagicCatalog.Entry e : context.magics().all()) {
            String names = (e.line() ? "%" + e.name() : "") + (e.line() && e.cell() ? " " : "")
                    + (e.cell() ? "%%" + e.name() : "");
            String what = e.aliasOf() != null ? "Alias of %" + e.aliasOf() + "." : firstSentence(e.summary());
            html.append("<tr><td><code>").append(Html.escape(names)).append("</code></td><td><code>")
                    .append(Html.escape(e.usage())).append("</code></td><td style=\"text-align: left\">")
                    .append(Html.escape(what)).append("</td></tr>\n");
            text.append(String.format("%-24s %s%n", names, what));
        }
        html.append("</tbody>\n</table>\n");
        context.display().show(new Html(html.toString(), text.toString()));
    }

    /**
     * Shows one magic's usage, help and example.
     *
     * @param args the magic's name, with or without {@code %}
     */
    @LineMagic
    @MagicDoc(usage = HELP_USAGE,
            summary = "Shows how to use one magic: its usage line, what it does, its options (with their ranges and defaults)"
                    + " where it declares them, and an example.",
            example = "%help maven")
    public void help(List<String> args) {
        String name = HELP.parse(args).get("magic", "");
        MagicCatalog.Entry e = context.magics().find(name).orElseThrow(() -> HELP.error(
                "no magic named '" + name + "'; %lsmagic lists them"));
        String html = "<div class=\"notebench-help\"><p><code>" + Html.escape(e.usage()) + "</code></p>\n<p>"
                + Html.escape(e.summary()) + "</p>\n"
                + (e.options().isEmpty() ? "" : "<p>Options:</p><pre>" + Html.escape(e.options()) + "</pre>\n")
                + (e.example().isEmpty() ? "" : "<p>Example:</p><pre>" + Html.escape(e.example()) + "</pre>\n")
                + "</div>\n";
        String text = e.usage() + "\n\n" + e.summary() + "\n"
                + (e.options().isEmpty() ? "" : "\nOptions:\n" + e.options())
                + (e.example().isEmpty() ? "" : "\nExample:\n    " + e.example() + "\n");
        context.display().show(new Html(html, text));
    }

    static String firstSentence(String s) {
        int end = s.indexOf(". ");
        return end < 0 ? s : s.substring(0, end + 1);
    }

    /** Finds {@link CoreMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements KernelMagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(KernelContext context) {
            return new CoreMagics(context);
        }
    }
}
