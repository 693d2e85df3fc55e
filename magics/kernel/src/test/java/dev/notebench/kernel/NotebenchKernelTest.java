package dev.notebench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.kernel.eval.CellError;
import dev.notebench.kernel.eval.CellException;
import dev.notebench.kernel.eval.UsageError;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NotebenchKernelTest {
    private static NotebenchKernel kernel;

    @BeforeAll
    static void start() {
        kernel = NotebenchKernel.builder().build();
        kernel.awaitReady();
    }

    @AfterAll
    static void stop() {
        kernel.close();
    }

    private static String line(CellException e) {
        return String.join("\n", kernel.formatError(e)).replaceAll("\u001b\\[[0-9;]*m", "");
    }

    @Test
    void magicWithWrongArgumentsIsOneLineAndTheKernelGoesOn() throws Exception {
        UsageError e = assertThrows(UsageError.class, () -> kernel.evalRaw("%help"));
        assertEquals("UsageError: %help: missing required positional arguments: [magic]. Usage: %help MAGIC", line(e));
        e = assertThrows(UsageError.class, () -> kernel.evalRaw("%maven --offline"));
        assertEquals("UsageError: %maven: give at least one GROUP:ARTIFACT:VERSION. Usage: " + kernel.magics().find("maven")
                .orElseThrow().usage(), line(e));
        assertEquals(42, kernel.evalRaw("6 * 7"));
    }

    @Test
    void unknownMagicsSayWhereToLook() {
        assertEquals("UsageError: there is no magic %mavn; %lsmagic lists the magics of this kernel",
                line(assertThrows(UsageError.class, () -> kernel.evalRaw("%mavn a:b:1"))));
        assertEquals("UsageError: %%maven does not exist, but %maven does; %help maven shows how to use it",
                line(assertThrows(UsageError.class, () -> kernel.evalRaw("%%maven\nx"))));
        assertEquals("UsageError: %%time is a cell magic: put the code it works on in the lines below it",
                line(assertThrows(UsageError.class, () -> kernel.evalRaw("%%time"))));
    }

    @Test
    void magicsAndCodeMixAndMagicValuesCanBeAssigned() throws Exception {
        assertEquals(List.of(), kernel.evalRaw("List<String> none = %classpath\nnone.subList(0, 0)"));
        assertNull(kernel.evalRaw("%time 2 + 2"), "%time shows the value itself");
        assertEquals(4, kernel.evalRaw("int four = %time 2 + 2\nfour"));
        assertEquals(10, kernel.evalRaw("int ten = %time 4 + 6\nten"));
    }

    @Test
    void failuresInsideMagicsKeepTheirOwnErrors() {
        CellError e = assertThrows(CellError.class, () -> kernel.evalRaw("%time Integer.parseInt(\"zz\")"));
        assertTrue(line(e).startsWith("NumberFormatException: For input string: \"zz\""), line(e));
    }

    @Test
    void cellValuesRenderThroughTheRegisteredRenderers() throws Exception {
        DisplayData d = kernel.eval("tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"x\", 1, 2))");
        assertTrue(((String) d.getData(MIMEType.TEXT_HTML)).contains("t: 2 rows &times; 1 column"));
        assertNull(kernel.eval("int quiet = 1;"));
    }

    @Test
    void imagesRenderAsPng() throws Exception {
        DisplayData d = kernel.eval("new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB)");
        byte[] png = java.util.Base64.getDecoder().decode((String) d.getData(MIMEType.IMAGE_PNG));
        assertEquals("\u0089PNG", new String(png, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void displayWithoutAConnectedClientIsDroppedNotAnError() throws Exception {
        Object id = kernel.evalRaw("String id = display(\"hello\");\nupdateDisplay(id, \"bye\");\nid");
        assertEquals(36, ((String) id).length());
        assertEquals("", kernel.evalRaw("notebook().show(1).id().substring(0, 0)"));
    }

    @Test
    void completionOffersMagicNamesAfterAPercentSign() {
        ReplacementOptions line = kernel.complete("int a = 1;\n%ma", 14);
        assertEquals(List.of("maven", "mavenRepo"), line.getReplacements());
        assertEquals(12, line.getSourceStart());
        ReplacementOptions cell = kernel.complete("%%ti", 4);
        assertEquals(List.of("time"), cell.getReplacements());
        ReplacementOptions java = kernel.complete("\"x\".isBla", 9);
        assertEquals(List.of("isBlank()"), java.getReplacements());
    }

    @Test
    void completenessTreatsCellMagicsAsComplete() {
        assertEquals("complete", kernel.isComplete("%%time\nfor (int i = 0;"));
        assertEquals("complete", kernel.isComplete("%maven a:b:1"));
    }
}
