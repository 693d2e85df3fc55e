package dev.notebench.display;

/** One shown output that can be replaced in place, from any thread. */
public interface DisplayHandle {

    /** A handle that ignores updates. */
    DisplayHandle NONE = new DisplayHandle() {
        @Override
        public String id() {
            return "";
        }

        @Override
        public void update(Object value) {
            // nothing was shown, so there is nothing to update
        }
    };

    /** Returns the display id the notebook knows this output by. */
    String id();

    /**
     * Replaces the shown output with a rendering of {@code value}.
     *
     * @param value the new value, rendered by its type
     */
    void update(Object value);
}
