package dev.notebench.magics.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeMagicsTest {

    @Test
    void durationsReadTheWayPeopleReadTimings() {
        assertEquals("850 µs", TimeMagics.format(850_400));
        assertEquals("12.3 ms", TimeMagics.format(12_340_000));
        assertEquals("4.56 s", TimeMagics.format(4_561_000_000L));
        assertEquals("2 min 5 s", TimeMagics.format(125_200_000_000L));
    }

    @Test
    void lineFormEvaluatesTheLineAndShowsTimeThenValue() throws Exception {
        RecordingContext ctx = new RecordingContext().evaluator(code -> 42);
        Object value = new TimeMagics(ctx).time(List.of("6 * 7"), null);
        assertEquals(42, value);
        assertEquals(List.of("6 * 7"), ctx.evaluated);
        assertTrue(ctx.shownText().get(0).startsWith("Wall time: "), ctx.shownText().toString());
        assertEquals(42, ctx.shown.get(1));
    }

    @Test
    void cellFormEvaluatesTheBodyAndShowsTheTimeAlsoWhenItThrows() {
        IllegalStateException boom = new IllegalStateException("boom");
        RecordingContext ctx = new RecordingContext().evaluator(code -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, () -> new TimeMagics(ctx).time(List.of(), "x();\ny();")));
        assertEquals(List.of("x();\ny();"), ctx.evaluated);
        assertEquals(1, ctx.shown.size());
        assertTrue(ctx.shownText().get(0).startsWith("Wall time: "));
    }

    @Test
    void timingNothingIsAUsageError() {
        assertEquals("%time: give the code to time. Usage: %time JAVA-CODE  |  %%time (cell)",
                assertThrows(MagicUsageException.class, () -> new TimeMagics(new RecordingContext()).time(List.of(), null)).getMessage());
    }
}
