package dev.notebench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live metrics stream: clients following a run that writes its metrics get every line once, in
 * order, each with its line number as event id; one that disconnects and reconnects with
 * {@code Last-Event-ID} gets exactly the lines after it; every stream ends with an {@code end}
 * event carrying the run's final status once the run has ended.
 */
@Timeout(120) // a hang guard, not a speed claim
class MetricsStreamTest {
    private static final long ME = ProcessHandle.current().pid();
    private static final int LINES = 500;

    @TempDir
    Path tmp;

    /** One server-sent event. */
    record Event(String id, String name, String data) {
    }

    /** Reads events from a stream's lines until {@code end}, or until {@code stopAfter} events of data, then closes it. */
    static List<Event> read(Stream<String> lines, int stopAfter, CountDownLatch following) {
        List<Event> out = new ArrayList<>();
        try (lines) {
            Iterator<String> it = lines.iterator();
            String id = null;
            String name = null;
            StringBuilder data = null;
            while (it.hasNext()) {
                String l = it.next();
                if (l.startsWith(":")) {
                    following.countDown(); // the first comment: the server follows the file for this client
                } else if (l.startsWith("id: ")) {
                    id = l.substring(4);
                } else if (l.startsWith("event: ")) {
                    name = l.substring(7);
                } else if (l.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(l.substring(6)) : data.append('\n').append(l.substring(6));
                } else if (l.isEmpty() && name != null) {
                    out.add(new Event(id, name, data == null ? "" : data.toString()));
                    if (name.equals("end") || out.size() == stopAfter) {
                        return out;
                    }
                    id = null;
                    name = null;
                    data = null;
                }
            }
        }
        return out;
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(e -> e.name().equals("end") ? "end" : e.id()).toList();
    }

    private static List<String> expectedIds(long from, long to) {
        List<String> out = new ArrayList<>(LongStream.rangeClosed(from, to).mapToObj(String::valueOf).toList());
        out.add("end");
        return out;
    }

    @Test
    void everyClientGetsEveryMetricsLineInOrderAndAReconnectResumesAfterItsLastEventId() throws Exception {
        Path runs = tmp.resolve("runs");
        Path run = Runs.run(runs, "live", "2026-12-01T10:00:00Z", "running", 0, ME, null, null);
        Path metrics = run.resolve("metrics.jsonl");
        Runs.append(metrics, Runs.step(0));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (NotebenchServer server = NotebenchServer.builder(runs).port(0).followEvery(Duration.ofMillis(5)).build().start()) {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/runs/live/metrics/stream");
            CountDownLatch following = new CountDownLatch(3);
            List<CompletableFuture<List<Event>>> whole = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                whole.add(CompletableFuture.supplyAsync(() -> read(lines(client, HttpRequest.newBuilder(uri).build()), -1, following),
                        pool));
            }
            CompletableFuture<List<Event>> first100 = CompletableFuture.supplyAsync(() -> read(lines(client,
                    HttpRequest.newBuilder(uri).build()), 100, following), pool);
            following.await();
            for (int i = 1; i < 150; i++) {
                Runs.append(metrics, Runs.step(i));
            }
            List<Event> before = first100.get(); // it went away after event 100, while the run goes on
            for (int i = 150; i < LINES; i++) {
                Runs.append(metrics, Runs.step(i));
            }
            Runs.status(run, "completed", LINES - 1, ME, null);
            List<Event> after = read(lines(client, HttpRequest.newBuilder(uri).header("Last-Event-ID", before.get(99).id()).build()),
                    -1, new CountDownLatch(1));

            for (CompletableFuture<List<Event>> f : whole) {
                List<Event> got = f.get();
                assertEquals(expectedIds(1, LINES), ids(got));
                assertEquals(Runs.step(0), got.get(0).data());
                assertEquals(Runs.step(LINES - 1), got.get(LINES - 1).data());
                assertEquals("{\"status\":\"completed\",\"step\":500,\"steps\":30,\"message\":null}", got.get(LINES).data());
            }
            assertEquals(LongStream.rangeClosed(1, 100).mapToObj(String::valueOf).toList(), ids(before));
            assertEquals(expectedIds(101, LINES), ids(after));
            assertEquals(Runs.step(100), after.get(0).data());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStreamOfARunThatEndedSendsItsLinesThenEndAndAResumeAfterTheLastGetsOnlyEnd() throws Exception {
        Path runs = tmp.resolve("runs");
        Path run = Runs.run(runs, "done", "2026-12-01T10:00:00Z", "cancelled", 2, 1L, null, null);
        for (int i = 0; i < 3; i++) {
            Runs.append(run.resolve("metrics.jsonl"), Runs.step(i));
        }
        Runs.append(run.resolve("train.log"), "started");
        Runs.append(run.resolve("train.log"), "cancelled after step 3");
        try (NotebenchServer server = NotebenchServer.builder(runs).port(0).build().start()) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/runs/done/";
            List<Event> all = read(lines(client, HttpRequest.newBuilder(URI.create(base + "metrics/stream")).build()), -1,
                    new CountDownLatch(1));
            assertEquals(List.of("1", "2", "3", "end"), ids(all));
            List<Event> none = read(lines(client, HttpRequest.newBuilder(URI.create(base + "metrics/stream"))
                    .header("Last-Event-ID", "3").build()), -1, new CountDownLatch(1));
            assertEquals(List.of(new Event(null, "end", "{\"status\":\"cancelled\",\"step\":3,\"steps\":30,\"message\":null}")), none);
            List<Event> log = read(lines(client, HttpRequest.newBuilder(URI.create(base + "logs/stream")).build()), -1,
                    new CountDownLatch(1));
            assertEquals(List.of(new Event("1", "log", "started"), new Event("2", "log", "cancelled after step 3"),
                    new Event(null, "end", "{\"status\":\"cancelled\",\"step\":3,\"steps\":30,\"message\":null}")), log);
        }
    }

    @Test
    void aMetricsLogRewrittenByAResumeIsFollowedFromItsFirstChangedLine() throws Exception {
        Path runs = tmp.resolve("runs");
        Path run = Runs.run(runs, "resumed", "2026-12-01T10:00:00Z", "running", 0, ME, null, null);
        Path metrics = run.resolve("metrics.jsonl");
        for (int i = 0; i < 5; i++) {
            Runs.append(metrics, Runs.step(i));
        }
        try (NotebenchServer server = NotebenchServer.builder(runs).port(0).followEvery(Duration.ofMillis(5)).build().start()) {
            Stream<String> stream = lines(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/runs/resumed/metrics/stream")).build());
            CountDownLatch five = new CountDownLatch(1);
            List<Event> got = new ArrayList<>();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                Iterator<String> it = stream.iterator();
                String id = null;
                String name = null;
                String data = null;
                while (it.hasNext()) {
                    String l = it.next();
                    if (l.startsWith("id: ")) {
                        id = l.substring(4);
                    } else if (l.startsWith("event: ")) {
                        name = l.substring(7);
                    } else if (l.startsWith("data: ")) {
                        data = l.substring(6);
                    } else if (l.isEmpty() && name != null) {
                        got.add(new Event(id, name, data));
                        if (got.size() == 5) {
                            five.countDown();
                        }
                        if (name.equals("end")) {
                            return;
                        }
                        name = null;
                        id = null;
                    }
                }
            });
            five.await();
            // a resume from the checkpoint after step 2 keeps steps 0..2 and logs 3, 4, 5 again (MetricsLog, atomically)
            Path tmpFile = run.resolve("metrics.jsonl.tmp");
            StringBuilder again = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                again.append(Runs.step(i)).append('\n');
            }
            for (int i = 3; i < 6; i++) {
                again.append(Runs.step(i).replace("}", ",\"again\":true}")).append('\n');
            }
            java.nio.file.Files.writeString(tmpFile, again);
            java.nio.file.Files.move(tmpFile, metrics, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Runs.status(run, "completed", 5, ME, null);
            reading.get();
            assertEquals(List.of("1", "2", "3", "4", "5", "4", "5", "6", "end"), ids(got));
            assertEquals(Runs.step(3).replace("}", ",\"again\":true}"), got.get(5).data());
        }
    }

    @Test
    void closingTheServerEndsTheStreamsItServes() throws Exception {
        Path runs = tmp.resolve("runs");
        Path run = Runs.run(runs, "forever", "2026-12-01T10:00:00Z", "running", 0, ME, null, null);
        Runs.append(run.resolve("metrics.jsonl"), Runs.step(0));
        NotebenchServer server = NotebenchServer.builder(runs).port(0).build().start();
        CountDownLatch following = new CountDownLatch(1);
        Stream<String> stream = lines(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/runs/forever/metrics/stream")).build());
        CompletableFuture<List<Event>> events = CompletableFuture.supplyAsync(() -> read(stream, -1, following));
        following.await();
        server.close();
        assertEquals(List.of("1"), ids(events.get()), "the line it had, then the end of the response, with no end event");
    }

    private static Stream<String> lines(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, r.statusCode());
            assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
