package dev.notebench.widgets;

import java.util.Map;

/**
 * The Jupyter comms of a kernel, as widgets need them: a kernel implements it over its messaging
 * (basekernel's IOPub and shell channels in the Notebench kernel), so that this library never
 * imports a kernel.
 *
 * <pre>{@code
 * WidgetSession widgets = new WidgetSession(kernelComms, problem -> log.warn("widget", problem));
 * // and, for every comm_open from the front end whose target is one of WidgetSession.TARGETS:
 * Comm.Handler h = widgets.accept(target, comm, data, metadata);   // null: answer with comm_close
 * }</pre>
 */
public interface Comms {

    /**
     * Opens a comm from the kernel's side: sends {@code comm_open} on IOPub and routes the front
     * end's messages on it to {@code handler}.
     *
     * @param target the front end's target, e.g. {@value WidgetSession#TARGET}
     * @param id the comm's id
     * @param data the {@code comm_open} data (JSON-ready)
     * @param metadata the {@code comm_open} metadata (JSON-ready), e.g. the protocol version
     * @param handler hears the front end's messages on this comm
     * @return the open comm
     */
    Comm open(String target, String id, Map<String, Object> data, Map<String, Object> metadata, Comm.Handler handler);
}
