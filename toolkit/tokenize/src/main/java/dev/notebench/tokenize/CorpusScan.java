package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.internal.Sha256;
import dev.notebench.tokenize.internal.Gpt2Splitter;
import dev.notebench.tokenize.internal.Utf8;
import dev.notebench.tokenize.internal.WordCounts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Reads a corpus once: one thread reads blocks of whole lines and fingerprints the bytes, the
 * others validate or transcode each block, hold lines out, split the rest into GPT-2 words and
 * count them, each into its own {@link WordCounts}. Memory: the distinct words, the held-out
 * lines, and a few blocks in flight.
 */
final class CorpusScan {
    static final int BLOCK = 1 << 20;

    /** A held-out line: where it came from and its (normalized) UTF-8 text. */
    record HeldOutLine(int file, long line, byte[] utf8) {
    }

    /** Takes the training lines one worker sees; one per worker, combined at the end. */
    interface LineSink {
        /** One line of UTF-8 text (with its {@code \n}, if it had one). */
        void line(byte[] utf8, int from, int to);
    }

    /** Counts GPT-2 words. */
    static final class WordSink implements LineSink {
        final WordCounts counts = new WordCounts();
        private final Gpt2Splitter.Sink split = counts::add;

        @Override
        public void line(byte[] utf8, int from, int to) {
            Gpt2Splitter.split(utf8, from, to, split);
        }

        /** Sums the counts of every worker. */
        static WordCounts combine(List<WordSink> sinks) {
            WordCounts all = null;
            for (WordSink s : sinks) {
                if (all == null) {
                    all = s.counts;
                } else if (all.size() >= s.counts.size()) {
                    all.addAll(s.counts);
                } else {
                    s.counts.addAll(all);
                    all = s.counts;
                }
            }
            return all;
        }
    }

    /** What one scan found. */
    record Result<S extends LineSink>(List<S> sinks, List<HeldOutLine> holdout, String sha256, long bytesRead,
                                      long lines, long trainLines) {
    }

    /** Hears how many bytes were read so far. */
    interface Progress {
        void read(long bytes, long totalBytes);
    }

    private record Block(int file, long fileOffset, long firstLine, byte[] bytes, int length) {
    }

    private static final Block END = new Block(-1, 0, 0, new byte[0], 0);

    private CorpusScan() {
    }

    static <S extends LineSink> Result<S> scan(Corpus corpus, int threads, Progress progress, Supplier<S> sinks) {
        List<Path> files = corpus.files();
        long total = 0;
        for (Path f : files) {
            total += size(f);
        }
        BlockingQueue<Block> queue = new ArrayBlockingQueue<>(threads * 2);
        // blocks are recycled: reading allocates nothing once the pool is full
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(threads * 3 + 2);
        for (int i = 0; i < threads * 3 + 2; i++) {
            free.add(new byte[BLOCK]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "notebench-corpus");
            t.setDaemon(true);
            return t;
        });
        List<Future<Worker>> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker(corpus, queue, free, sinks.get());
            workers.add(pool.submit(w, w));
        }
        MessageDigest sha = Sha256.digest();
        long read = 0;
        try {
            for (int f = 0; f < files.size(); f++) {
                Path file = files.get(f);
                sha.update((file.getFileName().toString() + "\n").getBytes(StandardCharsets.UTF_8));
                long lines = 0; // line numbers count within each file
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = take(free);
                    int have = 0;
                    long fileOffset = 0;
                    while (true) {
                        if (Thread.currentThread().isInterrupted()) {
                            throw new NotebenchException(ErrorCode.CANCELLED, "reading the corpus was interrupted");
                        }
                        int n = in.read(buf, have, buf.length - have);
                        if (n > 0) {
                            sha.update(buf, have, n);
                            have += n;
                            read += n;
                            progress.read(read, total);
                        }
                        boolean eof = n < 0;
                        int cut = eof ? have : lastNewline(buf, have) + 1;
                        if (cut == 0 && !eof) {
                            if (have == buf.length) {
                                buf = Arrays.copyOf(buf, buf.length * 2); // one line longer than a block
                            }
                            continue;
                        }
                        if (cut > 0) {
                            // the rest after the last newline starts the next block
                            byte[] next = take(free);
                            if (next.length < Math.max(BLOCK, 2 * (have - cut))) {
                                next = new byte[Math.max(BLOCK, 2 * (have - cut))];
                            }
                            System.arraycopy(buf, cut, next, 0, have - cut);
                            long nl = countNewlines(buf, cut);
                            put(queue, new Block(f, fileOffset, lines, buf, cut), workers);
                            lines += nl + (eof && buf[cut - 1] != '\n' ? 1 : 0);
                            fileOffset += cut;
                            buf = next;
                            have -= cut;
                        }
                        if (eof) {
                            free.offer(buf);
                            break;
                        }
                    }
                } catch (IOException e) {
                    throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot read corpus file " + file + ": " + e.getMessage(), e);
                }
            }
            for (int i = 0; i < threads; i++) {
                put(queue, END, workers);
            }
            List<S> done = new ArrayList<>();
            List<HeldOutLine> holdout = new ArrayList<>();
            long trainLines = 0;
            long totalLines = 0;
            for (Future<Worker> f : workers) {
                Worker w = get(f);
                @SuppressWarnings("unchecked")
                S sink = (S) w.sink;
                done.add(sink);
                holdout.addAll(w.holdout);
                trainLines += w.trainLines;
                totalLines += w.count;
            }
            holdout.sort(Comparator.comparingInt(HeldOutLine::file).thenComparingLong(HeldOutLine::line));
            return new Result<>(done, holdout, HexFormat.of().formatHex(sha.digest()), read, totalLines, trainLines);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void put(BlockingQueue<Block> queue, Block b, List<Future<Worker>> workers) {
        try {
            while (!queue.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                for (Future<Worker> f : workers) {
                    if (f.isDone()) {
                        get(f); // a worker failed: surface its error instead of waiting forever
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotebenchException(ErrorCode.CANCELLED, "reading the corpus was interrupted", e);
        }
    }

    private static byte[] take(BlockingQueue<byte[]> free) {
        byte[] b = free.poll();
        return b != null ? b : new byte[BLOCK];
    }

    private static Worker get(Future<Worker> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotebenchException(ErrorCode.CANCELLED, "reading the corpus was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new NotebenchException(ErrorCode.INTERNAL, "counting words failed: " + e.getCause(), e.getCause());
        }
    }

    private static final class Worker implements Runnable {
        private final Corpus corpus;
        private final BlockingQueue<Block> queue;
        private final BlockingQueue<byte[]> free;
        final LineSink sink;
        final List<HeldOutLine> holdout = new ArrayList<>();
        long count;
        long trainLines;
        private final LineDecoder lines;

        Worker(Corpus corpus, BlockingQueue<Block> queue, BlockingQueue<byte[]> free, LineSink sink) {
            this.corpus = corpus;
            this.queue = queue;
            this.free = free;
            this.sink = sink;
            this.lines = new LineDecoder(corpus);
        }

        @Override
        public void run() {
            Holdout h = corpus.holdout();
            while (true) {
                Block b;
                try {
                    b = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (b == END) {
                    return;
                }
                long[] line = {b.firstLine()};
                lines.lines(b.file(), b.fileOffset(), b.bytes(), b.length(), (text, from, to) -> {
                    count++;
                    if (h.heldOut(b.file(), line[0])) {
                        holdout.add(new HeldOutLine(b.file(), line[0], Arrays.copyOfRange(text, from, to)));
                    } else {
                        trainLines++;
                        sink.line(text, from, to);
                    }
                    line[0]++;
                });
                free.offer(b.bytes()); // back to the reader (dropped if the pool is full)
            }
        }
    }

    /**
     * Splits a block of whole lines of one corpus file into lines, checked, decoded and normalized
     * as the corpus says: the one place that reads corpus bytes as text. One per thread.
     */
    static final class LineDecoder {
        private final Corpus corpus;
        private final boolean raw;
        private final CharsetDecoder decoder;

        LineDecoder(Corpus corpus) {
            this.corpus = corpus;
            this.raw = corpus.rawUtf8();
            CodingErrorAction action = corpus.errors() == Corpus.Errors.REPLACE ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
            this.decoder = corpus.encoding().newDecoder().onMalformedInput(action).onUnmappableCharacter(action);
        }

        /**
         * Passes each line of {@code bytes[0, length)} (with its {@code \n}) to {@code sink} as UTF-8.
         *
         * @param file the file's index in the corpus
         * @param fileOffset where in the file {@code bytes[0]} is, for errors
         */
        void lines(int file, long fileOffset, byte[] bytes, int length, LineSink sink) {
            Path path = corpus.files().get(file);
            if (raw) {
                int bad = Utf8.firstInvalid(bytes, 0, length);
                if (bad >= 0) {
                    throw notUtf8(path, fileOffset + bad);
                }
            }
            int start = 0;
            while (start < length) {
                int end = start;
                while (end < length && bytes[end] != '\n') {
                    end++;
                }
                if (end < length) {
                    end++; // keep the \n
                }
                if (raw) {
                    sink.line(bytes, start, end);
                } else {
                    byte[] text = transcode(path, fileOffset + start, bytes, start, end);
                    sink.line(text, 0, text.length);
                }
                start = end;
            }
        }

        private byte[] transcode(Path file, long offset, byte[] bytes, int from, int to) {
            ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
            CharBuffer chars;
            try {
                chars = decoder.reset().decode(in);
            } catch (CharacterCodingException e) {
                throw corpus.encoding().equals(StandardCharsets.UTF_8)
                        ? notUtf8(file, offset + (in.position() - from))
                        : new NotebenchException(ErrorCode.DATA_INVALID, "corpus file " + file + " has bytes that are not "
                                + corpus.encoding().name() + " at byte " + (offset + (in.position() - from))
                                + "; pass the right --encoding, or --errors replace");
            }
            String s = corpus.normalization().apply(chars.toString(), corpus.lowercase());
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Reads the lines in bytes {@code [from, to)} of one corpus file, a block of whole lines at a
     * time, so memory holds one block (and one line longer than a block), never the range.
     *
     * @return how many lines there were
     */
    static long readRange(Corpus corpus, int file, long from, long to, LineSink sink) {
        Path path = corpus.files().get(file);
        LineDecoder decoder = new LineDecoder(corpus);
        long lines = 0;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path)) {
            ch.position(from);
            byte[] buf = new byte[(int) Math.min(BLOCK, Math.max(1, to - from))];
            int have = 0;
            long offset = from; // of buf[0]
            long left = to - from;
            long[] count = {0};
            LineSink counting = (t, a, b) -> {
                count[0]++;
                sink.line(t, a, b);
            };
            while (left > 0 || have > 0) {
                if (left > 0 && have == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // one line longer than the buffer
                }
                int n = 0;
                if (left > 0) {
                    n = ch.read(ByteBuffer.wrap(buf, have, (int) Math.min(buf.length - have, left)));
                    if (n < 0) {
                        throw new NotebenchException(ErrorCode.DATA_INVALID, "corpus file " + path + " ended at byte " + (to - left)
                                + " while reading up to byte " + to + "; was it changed while being read?");
                    }
                    left -= n;
                    have += n;
                }
                int cut = left == 0 ? have : lastNewline(buf, have) + 1;
                if (cut == 0) {
                    continue;
                }
                decoder.lines(file, offset, buf, cut, counting);
                System.arraycopy(buf, cut, buf, 0, have - cut);
                have -= cut;
                offset += cut;
            }
            lines = count[0];
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot read corpus file " + path + ": " + e.getMessage(), e);
        }
        return lines;
    }

    static NotebenchException notUtf8(Path file, long offset) {
        return new NotebenchException(ErrorCode.DATA_INVALID, "corpus file " + file + " is not valid UTF-8 at byte "
                + offset + "; re-encode it as UTF-8, or pass --encoding CHARSET (e.g. windows-1252) or --errors replace");
    }

    private static int lastNewline(byte[] b, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long countNewlines(byte[] b, int n) {
        long c = 0;
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                c++;
            }
        }
        return c;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read corpus file " + f + ": " + e.getMessage(), e);
        }
    }

}
