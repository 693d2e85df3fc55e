package dev.notebench.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one owner of a run directory: an operating-system lock on {@code RUN_DIR/owner.lock}, held
 * by the process that trains the run for as long as it trains it, with the owner's pid, host and
 * start time written in the file. A second trainer (another process, or another thread of this
 * one) is refused before it touches the run; when the owner dies, even by {@code kill -9}, the
 * operating system releases the lock at once, which is how {@link RunStatus} tells a lost run
 * from a running one.
 *
 * <pre>{@code
 * try (RunLock owner = RunLock.acquire(runDir)) {   // refused, naming the owner, if the run is trained elsewhere
 *     ... train ...
 * }
 * }</pre>
 *
 * <p>POSIX releases every lock a process holds on a file when the process closes <em>any</em>
 * descriptor of that file, so within this JVM the lock file is opened only here, and only while
 * this JVM does not hold it: the locks this JVM holds are kept in one process-wide table, as the
 * operating system keeps them per process.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name in a run directory. */
    public static final String FILE = "owner.lock";
    /** How long a trainer retries a lock that another process holds (a reader's brief probe, say). */
    static final Duration PATIENCE = Duration.ofSeconds(1);
    private static final long RETRY_MILLIS = 25;
    /** The run directories this process owns, by lock file; one entry per lock, as the OS has it. */
    private static final ConcurrentMap<Path, RunLock> HELD = new ConcurrentHashMap<>();

    private final Path runDir;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Owner owner;
    private boolean closed;

    /**
     * Who owns (or last owned) a run directory.
     *
     * @param pid the owner's process id
     * @param host the owner's host name
     * @param since when it took the run
     */
    public record Owner(long pid, String host, Instant since) {
        /** Checks the values. */
        public Owner {
            Objects.requireNonNull(host, "host");
        }

        /** This process, now. */
        static Owner current() {
            return new Owner(ProcessHandle.current().pid(), hostName(), Instant.now());
        }

        /** Returns whether this is the current process. */
        public boolean isThisProcess() {
            return pid == ProcessHandle.current().pid() && host.equals(hostName());
        }

        /** Returns e.g. {@code process 4242 on host gpu-1}. */
        @Override
        public String toString() {
            return "process " + pid + " on host " + host;
        }
    }

    /** What a look at a run's lock found: whether it exists, whether it is held, and who owns or owned it. */
    record Probe(boolean exists, boolean held, Owner owner) {
        static final Probe NONE = new Probe(false, false, null);
    }

    private RunLock(Path runDir, Path file, FileChannel channel, FileLock lock, Owner owner) {
        this.runDir = runDir;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.owner = owner;
    }

    /**
     * Takes ownership of a run directory, retrying for up to a second while another process holds
     * the lock (a reader's brief look at it does).
     *
     * @param runDir an existing run directory
     * @return the lock; close it when the run is no longer trained
     * @throws NotebenchException with {@link ErrorCode#MODEL_TRAIN_FAILED} naming the owner's pid
     *     and host when another trainer owns the run
     */
    public static RunLock acquire(Path runDir) {
        return acquire(runDir, PATIENCE);
    }

    /**
     * Takes ownership of a run directory, retrying while another process holds the lock.
     *
     * @param runDir an existing run directory
     * @param patience how long to retry a lock held by another process (none when this process holds it)
     * @return the lock; close it when the run is no longer trained
     * @throws NotebenchException with {@link ErrorCode#MODEL_TRAIN_FAILED} naming the owner's pid
     *     and host when another trainer owns the run
     */
    public static RunLock acquire(Path runDir, Duration patience) {
        Path dir = runDir.toAbsolutePath().normalize();
        Path file = key(dir);
        if (file == null) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "run directory " + dir + " does not exist");
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Attempt[] attempt = new Attempt[1];
            try {
                HELD.compute(file, (k, held) -> {
                    if (held != null) {
                        attempt[0] = new Attempt(null, true, held.owner);
                        return held;
                    }
                    RunLock mine = tryLock(dir, k);
                    attempt[0] = new Attempt(mine, false, mine != null ? mine.owner : readOwner(k));
                    return mine;
                });
            } catch (UncheckedIOException e) {
                throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot lock " + file + " to own the run: "
                        + e.getCause().getMessage() + "; runs need a directory on a file system with file locks", e);
            }
            Attempt a = attempt[0];
            if (a.taken() != null) {
                return a.taken();
            }
            if (a.here() || System.nanoTime() >= deadline) {
                throw busy(dir, a.owner(), a.here());
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotebenchException(ErrorCode.CANCELLED, "interrupted while waiting to own run " + dir, e);
            }
        }
    }

    /** One try at the lock: taken, or held by this process, or by another (whose owner may be known). */
    private record Attempt(RunLock taken, boolean here, Owner owner) {
    }

    /** Opens and locks the file; null when another process holds it. Runs inside {@code HELD.compute}. */
    private static RunLock tryLock(Path dir, Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // locked by code of this JVM that bypassed RunLock: not ours to take
            }
            if (l == null) {
                ch.close();
                return null;
            }
            Owner me = Owner.current();
            byte[] text = json(me).getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text), 0);
            ch.force(false);
            return new RunLock(dir, file, ch, l, me);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Looks at a run's lock without taking it for more than a moment: held (by this process or
     * another) or free, and who owns or last owned it.
     *
     * @param runDir the run directory
     */
    static Probe probe(Path runDir) {
        Path file = key(runDir.toAbsolutePath().normalize());
        if (file == null) {
            return Probe.NONE;
        }
        Probe[] out = new Probe[1];
        HELD.compute(file, (k, held) -> {
            if (held != null) {
                out[0] = new Probe(true, true, held.owner);
                return held;
            }
            try (FileChannel ch = FileChannel.open(k, StandardOpenOption.READ)) {
                FileLock l;
                try {
                    l = ch.tryLock(0, Long.MAX_VALUE, true); // shared: a probe never keeps a trainer out for long
                } catch (OverlappingFileLockException e) {
                    out[0] = new Probe(true, true, null);
                    return null;
                }
                out[0] = new Probe(true, l == null, read(ch));
            } catch (NoSuchFileException e) {
                out[0] = Probe.NONE;
            } catch (IOException e) {
                out[0] = new Probe(true, false, null); // unreadable: no owner can be named
            }
            return null;
        });
        return out[0];
    }

    /**
     * Returns the owner of a run directory, if a process trains it now.
     *
     * @param runDir the run directory
     * @return the owner, or empty when the run is not owned (or its owner could not be read)
     */
    public static Optional<Owner> owner(Path runDir) {
        Probe p = probe(runDir);
        return p.held() ? Optional.ofNullable(p.owner()) : Optional.empty();
    }

    /** Returns the owner this lock records: this process. */
    public Owner owner() {
        return owner;
    }

    /** Returns the run directory. */
    public Path directory() {
        return runDir;
    }

    /** Releases the run: another trainer may take it from now on. Idempotent. */
    @Override
    public void close() {
        HELD.compute(file, (k, held) -> {
            if (held != this || closed) {
                return held;
            }
            closed = true;
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel below releases it as well
            } finally {
                closeQuietly(channel);
            }
            return null;
        });
    }

    private static NotebenchException busy(Path dir, Owner owner, boolean here) {
        return busy(dir, here ? thisProcess(ProcessHandle.current().pid(), hostName()) : owner != null ? owner + " (since " + owner.since() + ")"
                : "another process (it holds " + dir.resolve(FILE) + ")");
    }

    /** Who holds a run when it is this very process: a run it trains on another thread. */
    static String thisProcess(long pid, String host) {
        return "this process (pid " + pid + " on host " + host + "; e.g. a training started in the background)";
    }

    /**
     * The refusal of a second trainer.
     *
     * @param dir the run directory
     * @param who who trains it, e.g. {@code process 4242 on host gpu-1}
     */
    static NotebenchException busy(Path dir, String who) {
        return new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "run " + dir + " is being trained by " + who
                + "; wait for it to end, or stop it with " + FrontEnd.command("train --cancel " + dir));
    }

    /** The lock file of a run directory, by its real path (null when the directory does not exist). */
    private static Path key(Path dir) {
        try {
            return dir.toRealPath().resolve(FILE);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads who owns a lock file that another process holds (this JVM holds no lock on it). */
    private static Owner readOwner(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch);
        } catch (IOException e) {
            return null;
        }
    }

    private static Owner read(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // read what there is, up to 4 kB
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            return new Owner(o.get("pid").getAsLong(), o.get("host").getAsString(), Instant.parse(o.get("since").getAsString()));
        } catch (RuntimeException e) {
            return null; // empty (never owned, or being written) or not ours
        }
    }

    private static String json(Owner o) {
        JsonObject j = new JsonObject();
        j.addProperty("pid", o.pid());
        j.addProperty("host", o.host());
        j.addProperty("since", o.since().toString());
        return j.toString();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    /** This machine's name, as {@code hostname} prints it. */
    static String hostName() {
        return Host.NAME;
    }

    /** Reads the host name once; it does not change while the process runs. */
    private static final class Host {
        static final String NAME = read();

        private static String read() {
            try {
                Path uts = Path.of("/proc/sys/kernel/hostname");
                if (Files.isReadable(uts)) {
                    String n = Files.readString(uts, StandardCharsets.UTF_8).strip();
                    if (!n.isEmpty()) {
                        return n;
                    }
                }
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                return "localhost";
            }
        }
    }
}
