package dev.notebench.widgets;

import java.util.Map;

/**
 * One open Jupyter comm: a channel between an object in the kernel and its counterpart in the
 * front end, named by an id both sides share. A kernel implements it ({@link Comms}); widgets use
 * it through their {@link WidgetSession}. Safe to use from any thread.
 */
public interface Comm {

    /** Returns the comm's id (for a widget, its model id). */
    String id();

    /** Returns the target the comm was opened for, e.g. {@value WidgetSession#TARGET}. */
    String target();

    /**
     * Sends a {@code comm_msg} to the front end.
     *
     * @param data the message's data: JSON-ready values (strings, booleans, numbers, null, lists, maps)
     */
    void send(Map<String, Object> data);

    /** Sends {@code comm_close} and forgets the comm; later sends are dropped. */
    void close();

    /**
     * Hears what the front end sends on a comm. The kernel calls it on one thread, in the order
     * the messages arrived.
     */
    interface Handler {

        /**
         * A {@code comm_msg} arrived.
         *
         * @param data its data, as JSON-ready values (numbers are {@code Long} or {@code Double})
         */
        void message(Map<String, Object> data);

        /** The front end closed the comm ({@code comm_close}), or the kernel is shutting down. */
        default void closed() {
        }
    }
}
