package dev.notebench.widgets;

/** A registered listener or link; closing it ends it. Closing it twice does nothing more. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Removes the listener or ends the link. */
    @Override
    void close();
}
