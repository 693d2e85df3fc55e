package dev.notebench.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MagicTranslatorTest {
    private final MagicTranslator translator = new MagicTranslator("time"::equals);

    @Test
    void lineMagicsBecomeCallsAndCodeStaysAsItIs() throws Exception {
        assertEquals("int x = 1;\nlineMagic(\"maven\", java.util.List.of(\"a:b:1\", \"--repo\", \"http://r\"));{};\nx",
                translator.translate("int x = 1;\n%maven a:b:1 --repo http://r\nx"));
    }

    @Test
    void aMagicAfterAnEqualsSignIsAnExpression() throws Exception {
        assertEquals("List<String> jars =lineMagic(\"jars\", java.util.List.of(\"lib/*.jar\"));{};",
                translator.translate("List<String> jars = %jars lib/*.jar"));
    }

    @Test
    void quotedArgumentsAndSpecialCharactersSurviveAsJavaLiterals() throws Exception {
        assertEquals("lineMagic(\"help\", java.util.List.of(\"a b\", \"c\\\\\\\\d\", \"x\\ty\\u0001\"));{};",
                translator.translate("%help \"a b\" c\\\\d \"x\ty\u0001\""));
    }

    @Test
    void rawLineMagicsGetTheRestOfTheLineVerbatim() throws Exception {
        assertEquals("lineMagic(\"time\", java.util.List.of(\"String s = \\\"a  b\\\"; s.length()\"));{};",
                translator.translate("%time String s = \"a  b\"; s.length()"));
    }

    @Test
    void percentInsideAStringIsNotAMagic() throws Exception {
        assertEquals("int r = 7 % 3;", translator.translate("int r = 7 % 3;"));
        assertEquals("String f = \"=%s\";", translator.translate("String f = \"=%s\";"));
    }

    @Test
    void cellMagicsTakeTheWholeBody() throws Exception {
        assertEquals("cellMagic(\"time\", java.util.List.of(\"-q\"), \"int a = 1;\\nSystem.out.println(a);\");{};",
                translator.translate("%%time -q\nint a = 1;\nSystem.out.println(a);"));
    }

    @Test
    void aCellMagicWithoutBodyIsAUsageError() {
        assertEquals("%%time is a cell magic: put the code it works on in the lines below it",
                assertThrows(UsageError.class, () -> translator.translate("%%time\n")).getMessage());
    }
}
