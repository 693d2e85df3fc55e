package dev.notebench.hub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * HTTP to the hub with java.net.http, where no request can hang: the whole exchange (headers and
 * body) fails once the server sends nothing for the read timeout, and redirects are followed here
 * so that the token goes only to the hub's own host.
 */
final class HubHttp {
    /** The most bytes kept of a body that is not a file (API answers, error pages). */
    static final int MAX_TEXT = 4 << 20;

    private final HttpClient client;
    private final URI endpoint;
    private final String token;
    private final Duration readTimeout;

    HubHttp(HubSettings settings) {
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.endpoint = settings.endpoint();
        this.token = settings.token().orElse(null);
        this.readTimeout = settings.readTimeout();
    }

    /** An answer: status, headers, and the body as text unless it went to a file. */
    record Answer(int status, HttpHeaders headers, String text, URI uri) {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** Thrown when the server sent nothing for the read timeout. */
    static final class Silent extends IOException {
        private static final long serialVersionUID = 1L;

        Silent(String message) {
            super(message);
        }
    }

    /**
     * Sends a request, following redirects; a 2xx body goes to {@code file} from {@code position}
     * (on 200 from 0) when a file is given.
     */
    Answer send(String method, URI uri, String range, FileChannel file, LongConsumer progress) throws IOException {
        URI current = uri;
        for (int hop = 0; hop < 6; hop++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(current).timeout(readTimeout).method(method,
                    HttpRequest.BodyPublishers.noBody()).header("User-Agent", "notebench-hf");
            if (token != null && sameHost(current)) {
                rb.header("Authorization", "Bearer " + token);
            }
            if (range != null) {
                rb.header("Range", range);
            }
            Answer a = exchange(rb.build(), file, progress);
            if (a.status() / 100 == 3 && a.header("Location").isPresent() && !(method.equals("HEAD") && hasEtag(a))) {
                current = current.resolve(a.header("Location").get());
                continue;
            }
            return a;
        }
        throw new IOException("too many redirects from " + uri);
    }

    private static boolean hasEtag(Answer a) {
        return a.header("X-Linked-Etag").isPresent() || a.header("ETag").isPresent();
    }

    private boolean sameHost(URI uri) {
        return endpoint.getHost().equalsIgnoreCase(uri.getHost()) && endpoint.getPort() == uri.getPort();
    }

    private Answer exchange(HttpRequest request, FileChannel file, LongConsumer progress) throws IOException {
        Drain drain = new Drain(file, progress);
        CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request, info -> {
            drain.choose(info.statusCode());
            return HttpResponse.BodySubscribers.fromSubscriber(drain, d -> null);
        });
        long seen = -1;
        while (true) {
            try {
                HttpResponse<Void> r = future.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Answer(r.statusCode(), r.headers(), drain.text(), r.uri());
            } catch (TimeoutException e) {
                long now = drain.events.get();
                if (now == seen || now == 0) {
                    drain.cancel();
                    future.cancel(true);
                    throw new Silent("no answer for " + readTimeout.toSeconds() + " s");
                }
                seen = now;
            } catch (InterruptedException e) {
                drain.cancel();
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof IOException io ? io : new IOException(c);
            }
        }
    }

    /** Takes a body: into the file for a 2xx answer to a download, else into memory. */
    private static final class Drain implements Flow.Subscriber<List<ByteBuffer>> {
        final AtomicLong events = new AtomicLong();
        private final FileChannel file;
        private final LongConsumer progress;
        private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private volatile boolean toFile;
        private volatile Flow.Subscription subscription;

        Drain(FileChannel file, LongConsumer progress) {
            this.file = file;
            this.progress = progress;
        }

        void choose(int status) {
            events.incrementAndGet();
            toFile = file != null && (status == 200 || status == 206);
            if (toFile && status == 200) {
                try {
                    file.truncate(0);
                    file.position(0);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        String text() {
            return memory.toString(StandardCharsets.UTF_8);
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            try {
                for (ByteBuffer b : items) {
                    int n = b.remaining();
                    if (toFile) {
                        while (b.hasRemaining()) {
                            file.write(b);
                        }
                        progress.accept(n);
                    } else if (memory.size() < MAX_TEXT) {
                        byte[] bytes = new byte[n];
                        b.get(bytes);
                        memory.write(bytes, 0, Math.min(n, MAX_TEXT - memory.size()));
                    }
                    events.incrementAndGet();
                }
            } catch (IOException e) {
                subscription.cancel();
                throw new java.io.UncheckedIOException(e);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }
}
