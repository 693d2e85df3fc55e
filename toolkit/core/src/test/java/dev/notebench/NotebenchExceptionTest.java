package dev.notebench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.display.Html;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class NotebenchExceptionTest {

    @Test
    void showsCodeAndMessageAndKeepsTheCause() {
        IOException io = new IOException("disk full");
        NotebenchException e = new NotebenchException(ErrorCode.CACHE_CORRUPT, "cache.db is damaged; delete it", io);
        assertEquals("CACHE_CORRUPT: cache.db is damaged; delete it", e.toString());
        assertEquals(ErrorCode.CACHE_CORRUPT, e.code());
        assertSame(io, e.getCause());
        assertThrows(NullPointerException.class, () -> new NotebenchException(null, "x"));
    }

    @Test
    void htmlEscapesEverythingThatCouldBreakOutOfTextOrAttributes() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;", Html.escape("<a href=\"x\">Tom & Jerry's</a>"));
        assertEquals(new Html("<b>x</b>", "<b>x</b>"), Html.of("<b>x</b>"));
    }
}
