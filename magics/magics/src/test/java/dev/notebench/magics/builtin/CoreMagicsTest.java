package dev.notebench.magics.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.display.Html;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreMagicsTest {

    @Test
    void helpShowsUsageSummaryAndExample() throws Exception {
        RecordingContext ctx = new RecordingContext().withAllMagics();
        ctx.magics().registry().applyLineMagic("help", List.of("%mavenRepo"));
        assertEquals("%mavenRepo ID URL\n\nAdds a remote Maven repository that %maven searches, after Maven Central, for the rest "
                + "of this session. Adding an id again replaces its URL.\n\nExample:\n    %mavenRepo jitpack https://jitpack.io\n",
                ctx.shownText().get(0));
        Html html = (Html) ctx.shown.get(0);
        assertEquals("<div class=\"notebench-help\"><p><code>%mavenRepo ID URL</code></p>\n<p>Adds a remote Maven repository "
                + "that %maven searches, after Maven Central, for the rest of this session. Adding an id again replaces its URL.</p>\n"
                + "<p>Example:</p><pre>%mavenRepo jitpack https://jitpack.io</pre>\n</div>\n", html.html());
    }

    @Test
    void helpForAnUnknownMagicOrWithoutANameIsAUsageError() {
        CoreMagics magics = new CoreMagics(new RecordingContext().withAllMagics());
        assertEquals("%help: no magic named 'mavn'; %lsmagic lists them. Usage: %help MAGIC",
                assertThrows(MagicUsageException.class, () -> magics.help(List.of("mavn"))).getMessage());
        assertEquals("%help: missing required positional arguments: [magic]. Usage: %help MAGIC",
                assertThrows(MagicUsageException.class, () -> magics.help(List.of())).getMessage());
    }

    @Test
    void lsmagicListsEveryMagicWithTheFirstSentenceOfItsHelp() {
        RecordingContext ctx = new RecordingContext().withAllMagics();
        new CoreMagics(ctx).lsmagic(List.of());
        List<String> lines = ctx.shownText().get(0).lines().toList();
        assertEquals(7, lines.size());
        assertEquals("%lsmagic                 Lists every magic of this kernel, line magics (%name) and cell magics "
                + "(%%name), with its usage and what it does.", lines.get(3));
        assertEquals("%time %%time             Runs Java code, the rest of the line for %time or the whole cell for %%time, "
                + "and shows the wall-clock time it took, also when the code throws.", lines.get(6));
        assertTrue(((Html) ctx.shown.get(0)).html().contains("<tr><td><code>%jars</code></td><td><code>%jars GLOB...</code></td>"));
        assertEquals("%lsmagic: too many positional arguments. Usage: %lsmagic",
                assertThrows(MagicUsageException.class, () -> new CoreMagics(ctx).lsmagic(List.of("x"))).getMessage());
    }
}
