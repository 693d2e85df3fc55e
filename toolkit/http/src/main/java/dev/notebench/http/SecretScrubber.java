package dev.notebench.http;

import dev.notebench.secrets.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The boundary where a server's text enters the process: every answer's body, status message and
 * header values, and the message of every I/O error (which may quote a server's status line), come
 * out with each secret the process knows replaced by {@value Secrets#REDACTED}. Whatever a server
 * echoes of the request (its {@code Authorization} header, a key in an HTML error page) therefore
 * never reaches a cache, a journal, an output file, a log or an error message. Add it as the
 * innermost application interceptor, so that every other one sees scrubbed answers:
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(retry)
 *     .addInterceptor(key.interceptor())
 *     .addInterceptor(new SecretScrubber(key.secrets().and(headerSecrets)))
 *     .build();
 * }</pre>
 *
 * <p>Bodies are read whole (model APIs answer with bounded JSON, never a stream here).
 */
public final class SecretScrubber implements Interceptor {
    private final Secrets secrets;

    /**
     * Creates the interceptor.
     *
     * @param secrets what to scrub
     */
    public SecretScrubber(Secrets secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /** The secrets scrubbed. */
    public Secrets secrets() {
        return secrets;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException e) {
            throw secrets.isFoundIn(e) ? scrubbed(e) : e;
        }
        if (secrets.isEmpty()) {
            return response;
        }
        Response.Builder b = response.newBuilder();
        b.message(secrets.scrub(response.message()));
        Headers.Builder headers = new Headers.Builder();
        for (int i = 0; i < response.headers().size(); i++) {
            headers.addUnsafeNonAscii(response.headers().name(i), secrets.scrub(response.headers().value(i)));
        }
        b.headers(headers.build());
        ResponseBody body = response.body();
        if (body != null) {
            MediaType type = body.contentType();
            byte[] bytes;
            try (body) {
                bytes = body.bytes();
            } catch (IOException e) {
                throw secrets.isFoundIn(e) ? scrubbed(e) : e;
            }
            Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
            String text = new String(bytes, charset);
            String clean = secrets.scrub(text);
            b.body(clean.equals(text) ? ResponseBody.create(bytes, type) : ResponseBody.create(clean, type));
        }
        return b.build();
    }

    /** A copy of an I/O error of the same kind, with the secrets out of its message and without its causes. */
    private IOException scrubbed(IOException e) {
        String message = secrets.scrub(e.getMessage());
        IOException copy;
        if (e instanceof SocketTimeoutException) {
            copy = new SocketTimeoutException(message);
        } else if (e instanceof InterruptedIOException) {
            copy = new InterruptedIOException(message);
        } else if (e instanceof ConnectException) {
            copy = new ConnectException(message);
        } else if (e instanceof UnknownHostException) {
            copy = new UnknownHostException(message);
        } else if (e instanceof ProtocolException) {
            copy = new ProtocolException(message);
        } else {
            copy = new IOException(message);
        }
        copy.setStackTrace(e.getStackTrace()); // the causes' messages may quote the server too: left out
        return copy;
    }

    @Override
    public String toString() {
        return "SecretScrubber[" + secrets + "]";
    }
}
