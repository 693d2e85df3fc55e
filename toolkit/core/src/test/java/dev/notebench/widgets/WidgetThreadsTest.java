package dev.notebench.widgets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Widgets changed from several threads at once, as a training thread and the kernel's widget thread do. */
class WidgetThreadsTest {

    @Test
    void theLastUpdateSentIsTheValueTheWidgetEndsWithWhateverTheThreadsDid() throws Exception {
        RecordingComms comms = new RecordingComms();
        List<RuntimeException> problems = new ArrayList<>();
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        IntSlider s = new IntSlider().max(1_000_000);
        AtomicInteger heard = new AtomicInteger();
        s.onValue(v -> heard.incrementAndGet());
        session.view(s);
        comms.clear();

        int threads = 8;
        int each = 500;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = (t + 1) * 10_000;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    s.value(base + i);
                }
                return null;
            }));
        }
        done.add(pool.submit(() -> { // the front end moving the slider meanwhile
            start.await();
            for (int i = 0; i < each; i++) {
                comms.fromFrontEnd(s.id(), Map.of("method", "update", "state", Map.of("value", (long) i + 1))); // never the value it has
            }
            return null;
        }));
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<Map<String, Object>> sent = comms.messages(s.id());
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) sent.get(sent.size() - 1).get("state");
        assertEquals(s.value(), last.get("value"), "the front end ends where the kernel ends");
        assertEquals(sent.size(), heard.get(), "one message per change, one listener call per change");
        assertTrue(sent.size() >= threads * each, "every Java change was sent: " + sent.size());
        assertEquals(List.of(), problems);
    }

    @Test
    void aWidgetClosedWhileAnotherThreadChangesItSendsNothingAfterItsClose() throws Exception {
        RecordingComms comms = new RecordingComms();
        WidgetSession session = RecordingComms.liveSession(comms, new ArrayList<>());
        Label status = new Label();
        session.view(status);
        CountDownLatch started = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            started.countDown();
            for (int i = 0; i < 20_000; i++) {
                status.value("step " + i);
            }
        });
        writer.start();
        started.await();
        status.close();
        writer.join();
        List<RecordingComms.Sent> sent = comms.sent();
        int closedAt = -1;
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i).type().equals("close") && sent.get(i).id().equals(status.id())) {
                closedAt = i;
            }
        }
        assertTrue(closedAt >= 0);
        for (RecordingComms.Sent s : sent.subList(closedAt, sent.size())) {
            assertTrue(!s.id().equals(status.id()) || s.type().equals("close"), "nothing after comm_close: " + s);
        }
        assertEquals("step 19999", status.value(), "the value still changes here");
    }
}
