package dev.notebench.serve.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A server-sent event stream written on a response: events and comments are buffered and sent by
 * {@link #flush()} (a blocking write: the client's pace holds the writer, not memory).
 */
final class EventStream {
    private final Response response;
    private final StringBuilder pending = new StringBuilder();

    private EventStream(Response response) {
        this.response = response;
    }

    /** Starts the stream: 200, {@code text/event-stream}, no caching or proxy buffering, and a retry hint. */
    static EventStream open(Response response) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
        EventStream s = new EventStream(response);
        s.pending.append("retry: 2000\n");
        return s;
    }

    /** Adds an event; {@code id < 0} for one without an id. Its data is one line. */
    void event(long id, String name, String data) {
        if (id >= 0) {
            pending.append("id: ").append(id).append('\n');
        }
        pending.append("event: ").append(name).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            pending.append("data: ").append(line).append('\n');
        }
        pending.append('\n');
    }

    /** Sends a comment (a heartbeat that keeps proxies from closing an idle stream) with what is pending. */
    void comment(String text) throws IOException {
        pending.append(": ").append(text.replace('\n', ' ')).append("\n\n");
        flush();
    }

    /** Sends what is pending. */
    void flush() throws IOException {
        write(false);
    }

    /** Sends what is pending and ends the response. */
    void close() throws IOException {
        write(true);
    }

    private void write(boolean last) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
        pending.setLength(0);
        Callback.Completable done = new Callback.Completable();
        response.write(last, b, done);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing an event stream");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
