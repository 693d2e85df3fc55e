package dev.notebench.serve.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file followers behind the event streams: one per followed file (a run's
 * {@code metrics.jsonl} or {@code train.log}), shared by every client that follows it, and one
 * thread that reads the new lines of all of them at each tick. A client's thread does not poll: it
 * waits until its follower has lines past the last it sent, the run's end, or a heartbeat is due.
 * A follower keeps the lines it read while anyone follows (a metrics log is small: one line per
 * step) so that a client resuming after line N gets N+1 on from memory, and is dropped when the
 * last client goes. A file replaced by a shorter one (a resumed run rewrites its metrics log,
 * keeping the steps before its checkpoint) is read again from its start, and a client that had
 * lines past what the new file kept goes on from the first line that changed: the ids of a
 * stream are the current file's line numbers.
 */
public final class Followers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Followers.class);

    private final ScheduledExecutorService ticker;
    private final Map<Path, LineFollower> followers = new HashMap<>();

    /**
     * Starts the ticker.
     *
     * @param every how often the followed files are read
     */
    public Followers(Duration every) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notebench-serve-followers");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Follows a file.
     *
     * @param file the file (it may not exist yet)
     * @param end the end of what writes it: the {@code end} event's data once the writer has ended
     *     (asked before each read, so that a file read after the end is whole), else empty
     * @return the subscription; close it when the client goes
     */
    public Subscription follow(Path file, Supplier<Optional<String>> end) {
        LineFollower f;
        synchronized (this) {
            f = followers.computeIfAbsent(file, p -> new LineFollower(p, end));
            f.subscribers++;
        }
        f.poll(); // a new client need not wait for the next tick to get what is there
        return new Subscription(f, f.generation());
    }

    private void tick() {
        List<LineFollower> now;
        synchronized (this) {
            now = List.copyOf(followers.values());
        }
        for (LineFollower f : now) {
            try {
                f.poll();
            } catch (RuntimeException e) {
                LOG.warn("cannot follow {}: {}", f.file, e.toString());
            }
        }
    }

    private synchronized void release(LineFollower f) {
        if (--f.subscribers == 0) {
            followers.remove(f.file);
        }
    }

    /** Stops the ticker and wakes every waiting client, whose stream then ends. */
    @Override
    public void close() {
        ticker.shutdownNow();
        List<LineFollower> all;
        synchronized (this) {
            all = List.copyOf(followers.values());
        }
        all.forEach(LineFollower::close);
    }

    /**
     * What a client gets when it wakes: the lines after the last it had, the end, or neither (a
     * heartbeat is due).
     *
     * @param from how many lines come before these (the first of them is line {@code from + 1})
     * @param lines the new lines
     * @param end the end event's data, when the writer has ended and these are its last lines; else null
     * @param closed whether the server is closing
     * @param generation how many times the file was replaced or cut so far
     */
    public record Batch(int from, List<String> lines, String end, boolean closed, long generation) {
    }

    /** One client's hold on a follower. */
    public final class Subscription implements AutoCloseable {
        private final LineFollower follower;
        private long generation;
        private boolean closed;

        private Subscription(LineFollower follower, long generation) {
            this.follower = follower;
            this.generation = generation;
        }

        /**
         * Waits for lines after the first {@code after}, the end, or at most a while.
         *
         * @param after how many lines the client has (its last event id)
         * @param wait how long to wait at most
         * @return what there is
         * @throws InterruptedException when the client's thread is interrupted
         */
        public Batch await(int after, Duration wait) throws InterruptedException {
            Batch b = follower.await(after, generation, wait);
            generation = b.generation();
            return b;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(follower);
            }
        }
    }

    /** The lines of one file, read as it grows. */
    private static final class LineFollower {
        private final Path file;
        private final Supplier<Optional<String>> end;
        private final Object reading = new Object();
        private int subscribers; // guarded by Followers.this
        private final List<String> lines = new ArrayList<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private long offset;
        private Object fileKey;
        private String ended;
        private boolean closed;
        /** For each replacement of the file, how many of its first lines the new file kept (a client past them goes back). */
        private final List<Integer> rewinds = new ArrayList<>();

        LineFollower(Path file, Supplier<Optional<String>> end) {
            this.file = file;
            this.end = Objects.requireNonNull(end, "end");
        }

        void poll() {
            synchronized (reading) {
                Optional<String> over = end.get(); // before the read: all the writer wrote before it ended is read now
                List<String> added = new ArrayList<>();
                boolean restarted = read(added);
                synchronized (this) {
                    if (restarted) {
                        int kept = 0;
                        while (kept < lines.size() && kept < added.size() && lines.get(kept).equals(added.get(kept))) {
                            kept++;
                        }
                        rewinds.add(kept);
                        lines.clear();
                    }
                    lines.addAll(added);
                    if (over.isPresent() && partial.size() == 0) {
                        ended = over.get();
                    }
                    notifyAll();
                }
            }
        }

        /** Reads the complete lines written since the last read; returns whether the file was replaced or cut (read again from 0). */
        private boolean read(List<String> into) {
            boolean restarted = false;
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                Object key = a.fileKey();
                if ((fileKey != null && key != null && !key.equals(fileKey)) || a.size() < offset) {
                    offset = 0;
                    partial.reset();
                    restarted = true;
                }
                fileKey = key;
                if (a.size() == offset) {
                    return restarted;
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    ch.position(offset);
                    int n;
                    while ((n = ch.read(buf)) > 0) {
                        offset += n;
                        buf.flip();
                        while (buf.hasRemaining()) {
                            byte b = buf.get();
                            if (b == '\n') {
                                String line = partial.toString(StandardCharsets.UTF_8);
                                partial.reset();
                                if (!line.isBlank()) {
                                    into.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                                }
                            } else {
                                partial.write(b);
                            }
                        }
                        buf.clear();
                    }
                }
            } catch (NoSuchFileException e) {
                restarted = offset > 0;
                offset = 0;
                partial.reset();
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", file, e.toString());
            }
            return restarted;
        }

        synchronized long generation() {
            return rewinds.size();
        }

        synchronized Batch await(int after, long generation, Duration wait) throws InterruptedException {
            if (from(after, generation) >= lines.size() && ended == null && !closed) {
                wait(Math.max(1, wait.toMillis()));
            }
            int from = from(after, generation);
            List<String> out = List.copyOf(lines.subList(from, lines.size()));
            return new Batch(from, out, ended, closed, rewinds.size());
        }

        /** Where a client that has {@code after} lines of a generation goes on: before the first line a replacement changed. */
        private int from(int after, long generation) {
            int from = after;
            for (int g = (int) generation; g < rewinds.size(); g++) {
                from = Math.min(from, rewinds.get(g));
            }
            return Math.min(from, lines.size());
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }
    }
}
