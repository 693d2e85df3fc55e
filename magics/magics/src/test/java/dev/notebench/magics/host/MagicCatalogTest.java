package dev.notebench.magics.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.magics.RecordingContext;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.UndefinedMagicException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MagicCatalogTest {

    @Test
    void serviceLoaderFindsEveryBuiltInMagicAndRegistersItInBasekernelsRegistry() throws Exception {
        RecordingContext ctx = new RecordingContext().withAllMagics();
        List<String> names = ctx.magics().all().stream().map(MagicCatalog.Entry::name).collect(Collectors.toList());
        assertEquals(List.of("classpath", "help", "jars", "lsmagic", "maven", "mavenRepo", "time"), names);

        ctx.magics().registry().applyLineMagic("help", List.of("jars"));
        assertEquals("%jars GLOB...", ctx.shownText().get(0).lines().findFirst().orElseThrow());
    }

    @Test
    void everyBuiltInMagicHasUsageSummaryAndExampleThatStartWithItsName() {
        RecordingContext ctx = new RecordingContext().withAllMagics();
        for (MagicCatalog.Entry e : ctx.magics().all()) {
            String prefix = e.line() ? "%" + e.name() : "%%" + e.name();
            assertTrue(e.usage().startsWith(prefix), e.name() + " usage: " + e.usage());
            assertTrue(e.example().startsWith(prefix), e.name() + " example: " + e.example());
            assertTrue(e.summary().endsWith("."), e.name() + " summary: " + e.summary());
        }
    }

    @Test
    void timeIsBothALineAndACellMagicAndTakesItsLineRaw() {
        MagicCatalog.Entry time = new RecordingContext().withAllMagics().magics().find("%%time").orElseThrow();
        assertTrue(time.line());
        assertTrue(time.cell());
        assertTrue(time.rawLine());
        assertFalse(new RecordingContext().withAllMagics().magics().find("maven").orElseThrow().rawLine());
    }

    @Test
    void loadingProvidersTwiceRegistersEachOnce() {
        RecordingContext ctx = new RecordingContext();
        assertEquals(4, ctx.magics().loadProviders(ctx, getClass().getClassLoader()).size());
        assertEquals(List.of(), ctx.magics().loadProviders(ctx, getClass().getClassLoader()));
    }

    /** Magics written without help still register, with a placeholder. */
    public static final class Undocumented {
        @LineMagic(aliases = "hi2")
        public String hi(List<String> args) {
            return "hi " + args;
        }
    }

    @Test
    void magicsWithoutHelpAndAliasesAreRecorded() throws Exception {
        RecordingContext ctx = new RecordingContext();
        ctx.magics().register(new Undocumented());
        assertEquals("hi [x]", ctx.magics().registry().applyLineMagic("hi2", List.of("x")));
        MagicCatalog.Entry alias = ctx.magics().find("hi2").orElseThrow();
        assertEquals("hi", alias.aliasOf());
        assertEquals("No help was written for this magic.", alias.summary());
        assertThrows(UndefinedMagicException.class, () -> ctx.magics().registry().applyLineMagic("nope", List.of()));
    }
}
