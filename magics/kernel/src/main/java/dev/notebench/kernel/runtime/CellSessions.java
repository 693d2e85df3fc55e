package dev.notebench.kernel.runtime;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge from JShell-compiled cell code to the kernel that runs it. JShell compiles cells
 * into classes that can only call static code, so each kernel binds its session here under a
 * random id and its startup code calls {@link #get(String)} with that id.
 */
public final class CellSessions {
    private static final Map<String, CellSession> SESSIONS = new ConcurrentHashMap<>();

    private CellSessions() {
    }

    /**
     * Binds a session under a new id.
     *
     * @param session the session
     * @return the binding; closing it removes the session
     */
    public static Binding bind(CellSession session) {
        String id = UUID.randomUUID().toString();
        SESSIONS.put(id, session);
        return new Binding(id);
    }

    /**
     * Returns the session bound under {@code id}.
     *
     * @param id the id
     * @return the session
     * @throws IllegalStateException when the kernel has shut down
     */
    public static CellSession get(String id) {
        CellSession s = SESSIONS.get(id);
        if (s == null) {
            throw new IllegalStateException("this notebook's kernel session has ended; restart the kernel");
        }
        return s;
    }

    /** A session's place in the registry. */
    public static final class Binding implements AutoCloseable {
        private final String id;

        private Binding(String id) {
            this.id = id;
        }

        /** Returns the id the startup code uses. */
        public String id() {
            return id;
        }

        @Override
        public void close() {
            SESSIONS.remove(id);
        }
    }
}
