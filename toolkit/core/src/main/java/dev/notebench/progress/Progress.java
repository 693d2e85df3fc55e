package dev.notebench.progress;

/**
 * The progress of one long job (tokenizer counting and merging, training steps, enrichment
 * batches, embeddings, batch tasks), shown by whatever implements it: an HTML bar in a notebook
 * ({@link NotebookProgress}), a text bar in a terminal, nothing in CI logs ({@link #NONE}).
 *
 * <p>A job goes through one or more stages; each has a total, a unit, and its own clock for the
 * rate and the time left. Implementations throttle what they draw, so calling {@link #update} on
 * every item is cheap; they are safe to call from any thread.
 *
 * <pre>{@code
 * try (Progress p = new NotebookProgress(display)) {
 *     p.stage("embedding", rows.size(), "rows");
 *     for (...) { ...; p.advance(1); }
 * }
 * }</pre>
 */
public interface Progress extends AutoCloseable {
    /** Progress that shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void stage(String name, long total, String unit, long from) {
        }

        @Override
        public void update(long done) {
        }

        @Override
        public void advance(long n) {
        }

        @Override
        public void note(String text) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Progress made only when a stage starts, for a job that may have nothing to show (a model
     * found in a cache needs no download bar); until then every call is ignored.
     *
     * @param open makes the progress to show, called at most once, on the first stage
     * @return the progress; closing it closes what {@code open} made, if anything
     */
    static Progress onFirstStage(java.util.function.Supplier<? extends Progress> open) {
        return new Progress() {
            private Progress shown;

            @Override
            public synchronized void stage(String name, long total, String unit, long from) {
                if (shown == null) {
                    shown = open.get();
                }
                shown.stage(name, total, unit, from);
            }

            @Override
            public synchronized void update(long done) {
                if (shown != null) {
                    shown.update(done);
                }
            }

            @Override
            public synchronized void advance(long n) {
                if (shown != null) {
                    shown.advance(n);
                }
            }

            @Override
            public synchronized void note(String text) {
                if (shown != null) {
                    shown.note(text);
                }
            }

            @Override
            public synchronized void close() {
                if (shown != null) {
                    shown.close();
                }
            }
        };
    }

    /**
     * Starts a stage: the position goes back to 0 and the clock restarts.
     *
     * @param name what is being done, e.g. {@code "merging"}
     * @param total how many units the stage has; 0 or less when unknown
     * @param unit the unit's name, plural, e.g. {@code "steps"}
     */
    default void stage(String name, long total, String unit) {
        stage(name, total, unit, 0);
    }

    /**
     * Starts a stage part of which was done before (a resumed run): the position starts at
     * {@code from}, and the rate and the time left count only what is done from now on.
     *
     * @param name what is being done
     * @param total how many units the stage has in all; 0 or less when unknown
     * @param unit the unit's name, plural
     * @param from units already done
     */
    void stage(String name, long total, String unit, long from);

    /**
     * Sets how many units of the stage are done.
     *
     * @param done units done
     */
    void update(long done);

    /**
     * Adds to the units done.
     *
     * @param n units just done
     */
    void advance(long n);

    /**
     * Sets a short text shown after the bar, e.g. {@code "loss 2.31"}.
     *
     * @param text the text; empty for none
     */
    void note(String text);

    /** Shows the final state; later calls are ignored. */
    @Override
    void close();
}
