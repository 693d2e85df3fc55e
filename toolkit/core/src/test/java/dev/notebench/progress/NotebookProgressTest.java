package dev.notebench.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.display.Html;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotebookProgressTest {
    /** A fake notebook that keeps the plain text of every version of one output. */
    static final class Recording implements Display {
        final List<String> texts = new ArrayList<>();
        final List<String> html = new ArrayList<>();

        @Override
        public DisplayHandle show(Object value) {
            record(value);
            return new DisplayHandle() {
                @Override
                public String id() {
                    return "bar";
                }

                @Override
                public void update(Object v) {
                    record(v);
                }
            };
        }

        private void record(Object v) {
            texts.add(((Html) v).text());
            html.add(((Html) v).html());
        }
    }

    private long now;

    @Test
    void theBarShowsPositionRateAndTimeLeftAndRedrawsAtMostEvery150Ms() {
        Recording nb = new Recording();
        NotebookProgress p = new NotebookProgress(nb, () -> now);
        assertEquals(List.of("starting..."), nb.texts);
        p.stage("merging", 1000, "tokens");
        assertEquals("merging:   0% (0 of 1000 tokens, 0 tokens/s)", nb.texts.get(1));
        now = 100_000_000L;
        p.update(10);
        assertEquals(2, nb.texts.size(), "100 ms later: not redrawn");
        now = 2_000_000_000L;
        p.note("(3 threads)");
        p.update(400);
        assertEquals("merging:  40% (400 of 1000 tokens, 200 tokens/s, 3.0 s left) (3 threads)", nb.texts.get(2));
        assertTrue(nb.html.get(2).contains("<progress value=\"0.4000\" max=\"1\""), nb.html.get(2));
        now = 4_000_000_000L;
        p.advance(600);
        assertEquals("merging: 100% (1000 of 1000 tokens, 250 tokens/s, 4.0 s) (3 threads)", nb.texts.get(3));
        p.close();
        p.update(5);
        assertEquals(5, nb.texts.size(), "closing draws once more, then nothing");
    }

    @Test
    void aResumedStageCountsTheRateFromWhereItResumed() {
        Recording nb = new Recording();
        NotebookProgress p = new NotebookProgress(nb, () -> now);
        p.stage("gpt-sotu", 3000, "steps", 1000);
        now = 10_000_000_000L;
        p.update(1500);
        assertEquals("gpt-sotu:  50% (1500 of 3000 steps, 50 steps/s, 30.0 s left)", nb.texts.get(2));
        now = 150_000_000_000L;
        p.update(2000);
        assertEquals("gpt-sotu:  67% (2000 of 3000 steps, 6.7 steps/s, 2:30 left)", nb.texts.get(3));
    }

    @Test
    void anUnknownTotalShowsAnIndeterminateBar() {
        Recording nb = new Recording();
        NotebookProgress p = new NotebookProgress(nb, () -> now);
        p.stage("reading", 0, "rows");
        now = 1_000_000_000L;
        p.update(12_345);
        p.close();
        assertEquals("reading: (12.3k rows, 12.3k rows/s)", nb.texts.get(nb.texts.size() - 1));
        assertTrue(nb.html.get(nb.html.size() - 1).contains("<progress style=\"width: 24em\"></progress>"));
    }

    @Test
    void durationsAndCountsReadAsPeopleWriteThem() {
        assertEquals("59.0 s", ProgressState.duration(59));
        assertEquals("2:05", ProgressState.duration(125));
        assertEquals("1:02:05", ProgressState.duration(3725));
        assertEquals("1.2M", ProgressState.human(1_234_567));
        assertEquals("9999", ProgressState.human(9999));
        assertEquals("2.5", ProgressState.human(2.5));
    }
}
