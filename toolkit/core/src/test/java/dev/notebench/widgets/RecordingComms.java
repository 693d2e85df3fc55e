package dev.notebench.widgets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake of a kernel's comms: records every comm_open, comm_msg and comm_close the widgets send,
 * in order, and lets a test play the front end's messages on a comm.
 */
final class RecordingComms implements Comms {
    /** One message the kernel sent: "open", "msg" or "close", the comm's id, and its data. */
    record Sent(String type, String target, String id, Map<String, Object> data, Map<String, Object> metadata) {
    }

    final List<Sent> sent = new ArrayList<>();
    private final Map<String, Comm.Handler> handlers = new LinkedHashMap<>();

    @Override
    public synchronized Comm open(String target, String id, Map<String, Object> data, Map<String, Object> metadata,
                                  Comm.Handler handler) {
        sent.add(new Sent("open", target, id, data, metadata));
        handlers.put(id, handler);
        return comm(target, id);
    }

    Comm comm(String target, String id) {
        return new Comm() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String target() {
                return target;
            }

            @Override
            public void send(Map<String, Object> data) {
                synchronized (RecordingComms.this) {
                    sent.add(new Sent("msg", target, id, data, Map.of()));
                }
            }

            @Override
            public void close() {
                synchronized (RecordingComms.this) {
                    sent.add(new Sent("close", target, id, Map.of(), Map.of()));
                    handlers.remove(id);
                }
            }
        };
    }

    /** Plays a comm_msg from the front end. */
    void fromFrontEnd(String id, Map<String, Object> data) {
        Comm.Handler h;
        synchronized (this) {
            h = handlers.get(id);
        }
        h.message(data);
    }

    /** Plays a comm_close from the front end. */
    void closedByFrontEnd(String id) {
        Comm.Handler h;
        synchronized (this) {
            h = handlers.remove(id);
        }
        h.closed();
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    synchronized List<Map<String, Object>> messages(String id) {
        return sent.stream().filter(s -> s.type().equals("msg") && s.id().equals(id)).map(Sent::data).toList();
    }

    synchronized void clear() {
        sent.clear();
    }

    /** A session with a front end that announced itself on the control comm. */
    static WidgetSession liveSession(RecordingComms comms, List<RuntimeException> problems) {
        WidgetSession session = new WidgetSession(comms, problems::add);
        session.accept(WidgetSession.CONTROL_TARGET, comms.comm(WidgetSession.CONTROL_TARGET, "control"), Map.of(),
                Map.of("version", "1.0.0"));
        return session;
    }
}
