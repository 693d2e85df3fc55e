package dev.notebench.associations;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.internal.Ranges;
import dev.notebench.progress.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Extracts associations from concepts (table cells, lines, documents), each split into
 * sentences: typed relations by a {@link PatternSet}, and term co-occurrence with PMI. Large
 * inputs are cut into chunks (no per-concept task overhead) run on {@code workers} threads; the
 * chunks' results are joined in concept order, so the output is the same, association for
 * association, as a sequential run. A concept that is not text or throws becomes a
 * {@link Failure} record; the others are extracted.
 *
 * <pre>{@code
 * Extraction x = Extractor.builder().workers(4).cooccurrence(0, 3, 1.0).build().extract(lines);
 * Table relations = x.table();
 * Files.writeString(Path.of("graph.graphml"), x.graph().toGraphMl());
 * }</pre>
 */
public final class Extractor {
    /**
     * Below this many characters of text the sequential path runs: starting threads and joining
     * chunks costs more than it saves (measured: the parallel path pays from about 150 concepts of
     * 1-3 sentences, 30,000 characters; BENCHMARKS.md).
     */
    public static final int SEQUENTIAL_BELOW = 32_768;

    private final PatternSet patterns;
    private final Matcher matcher;
    private final int workers;
    private final int sequentialBelow;
    private final boolean cooccurrence;
    private final int window;
    private final int minCount;
    private final double minPmi;
    private final Progress progress;
    private final UnaryOperator<String> normalizer;

    private Extractor(Builder b) {
        this.patterns = b.patterns;
        this.matcher = new Matcher(b.patterns);
        this.workers = b.workers;
        this.sequentialBelow = b.sequentialBelow;
        this.cooccurrence = b.cooccurrence;
        this.window = b.window;
        this.minCount = b.minCount;
        this.minPmi = b.minPmi;
        this.progress = b.progress;
        this.normalizer = b.normalizer;
    }

    /** Starts describing an extractor: default patterns, all cores, co-occurrence off. */
    public static Builder builder() {
        return new Builder();
    }

    /** The patterns. */
    public PatternSet patterns() {
        return patterns;
    }

    /** The result of one chunk. */
    private record Chunk(List<Association> associations, List<Failure> failures, List<int[]> units, long sentences) {
    }

    /**
     * Extracts from concepts; {@code null} entries become failures.
     *
     * @param concepts the texts, e.g. a table column's values
     * @return the associations and counts
     */
    public Extraction extract(List<String> concepts) {
        long t0 = System.nanoTime();
        int n = concepts.size();
        long chars = 0;
        for (String c : concepts) {
            chars += c == null ? 0 : c.length();
        }
        boolean parallel = workers > 1 && chars >= sequentialBelow && n > 1;
        int used = parallel ? workers : 1;
        List<Chunk> chunks = new ArrayList<>();
        CooccurrenceCounter counter = cooccurrence ? new CooccurrenceCounter(window) : null;
        List<Cooccurrence> pairs = List.of();
        progress.stage("extracting", n, "concepts");
        try {
            if (!parallel) {
                chunks.add(chunk(concepts, 0, n, 0, counter));
                if (counter != null) {
                    pairs = counter.count(chunks.stream().map(Chunk::units).toList(), 1, null, minCount, minPmi);
                }
            } else {
                // chunks of about equal text, at least 8,000 characters, so that a few long documents spread too
                long target = Math.max(8_000, chars / (workers * 16L));
                AtomicInteger threadNo = new AtomicInteger();
                ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                    Thread t = new Thread(r, "associations-" + threadNo.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
                try {
                    List<Future<Chunk>> futures = new ArrayList<>();
                    int from = 0;
                    while (from < n) {
                        int to = from;
                        long size = 0;
                        while (to < n && (to == from || size < target)) {
                            size += concepts.get(to) == null ? 0 : concepts.get(to).length();
                            to++;
                        }
                        int f = from;
                        int t = to;
                        futures.add(pool.submit(() -> chunk(concepts, f, t, 0, counter)));
                        from = to;
                    }
                    for (Future<Chunk> f : futures) {
                        chunks.add(f.get());
                    }
                    if (counter != null) {
                        pairs = counter.count(chunks.stream().map(Chunk::units).toList(), workers, pool, minCount, minPmi);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotebenchException(ErrorCode.CANCELLED, "association extraction was interrupted", e);
        } catch (ExecutionException e) {
            throw new NotebenchException(ErrorCode.INTERNAL, "association extraction failed: " + e.getCause(), e.getCause());
        } finally {
            progress.close();
        }
        List<Association> associations = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        long sentences = 0;
        for (Chunk c : chunks) {
            associations.addAll(c.associations());
            failures.addAll(c.failures());
            sentences += c.sentences();
        }
        return new Extraction(associations, failures, pairs, n, sentences, used,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Extracts from one part of a larger input, for engines that cut the input themselves (Spark's
     * partitions), on this thread: the part's associations and failures as {@link #extract} finds
     * them, numbered from {@code firstConcept}, and, when co-occurrence is counted, the part's
     * counts (units, terms, pairs; see {@link CooccurrenceCounts}), counted as {@link #extract}
     * counts them, for the caller to add up over all parts, apply the thresholds to the sums and
     * compute PMI with {@link Cooccurrence#of}.
     *
     * @param concepts the part's texts; {@code null} entries become failures
     * @param firstConcept the index of the part's first concept in the whole input
     * @return what the part holds
     */
    public ExtractionPart extractPart(List<String> concepts, int firstConcept) {
        CooccurrenceCounter counter = cooccurrence ? new CooccurrenceCounter(window) : null;
        Chunk c = chunk(concepts, 0, concepts.size(), firstConcept, counter);
        return new ExtractionPart(c.associations(), c.failures(), counter == null ? CooccurrenceCounts.none() : counter.counts(c.units()),
                c.sentences());
    }

    private Chunk chunk(List<String> concepts, int from, int to, int firstConcept, CooccurrenceCounter counter) {
        List<Association> out = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<int[]> units = new ArrayList<>();
        long sentences = 0;
        for (int i = from; i < to; i++) {
            String text = concepts.get(i);
            if (text == null) {
                failures.add(new Failure(firstConcept + i, "not text (a missing value)"));
                continue;
            }
            try {
                String t = normalizer.apply(text);
                List<Texts.Sentence> ss = Texts.sentences(t);
                List<Association> found = new ArrayList<>();
                for (int s = 0; s < ss.size(); s++) {
                    matcher.match(t, ss.get(s), firstConcept + i, s, found);
                }
                out.addAll(found);
                if (counter != null) {
                    for (Texts.Sentence s : ss) {
                        counter.units(s.tokens(), units);
                    }
                }
                sentences += ss.size();
            } catch (RuntimeException e) {
                failures.add(new Failure(firstConcept + i, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }
        }
        progress.advance(to - from);
        return new Chunk(out, failures, units, sentences);
    }

    /** Describes an extractor. */
    public static final class Builder {
        private PatternSet patterns = PatternSet.defaults();
        private int workers = Runtime.getRuntime().availableProcessors();
        private int sequentialBelow = SEQUENTIAL_BELOW;
        private boolean cooccurrence;
        private int window;
        private int minCount = 3;
        private double minPmi;
        private Progress progress = Progress.NONE;
        private UnaryOperator<String> normalizer = UnaryOperator.identity();

        private Builder() {
        }

        /** The patterns (default {@link PatternSet#defaults()}). */
        public Builder patterns(PatternSet patterns) {
            this.patterns = Objects.requireNonNull(patterns, "patterns");
            return this;
        }

        /** Threads for large inputs (default: the cores). */
        public Builder workers(int workers) {
            this.workers = Ranges.within("workers", workers, 1, 1024);
            return this;
        }

        /** Inputs of fewer characters run sequentially (default {@link #SEQUENTIAL_BELOW}). */
        public Builder sequentialBelow(int characters) {
            this.sequentialBelow = Math.max(0, characters);
            return this;
        }

        /**
         * Counts co-occurring terms.
         *
         * @param window 0 for pairs within a sentence, else within this many tokens
         * @param minCount keep pairs seen at least this often
         * @param minPmi keep pairs with at least this PMI (natural log)
         */
        public Builder cooccurrence(int window, int minCount, double minPmi) {
            if (window < 0 || minCount < 1) {
                throw new IllegalArgumentException("window must be 0 or more and min count at least 1");
            }
            this.cooccurrence = true;
            this.window = window;
            this.minCount = minCount;
            this.minPmi = minPmi;
            return this;
        }

        /** Shows concepts done (large inputs advance per chunk). */
        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Rewrites each concept's text before extraction (strip markup, fix encodings); a throw fails that concept only. */
        public Builder normalizer(UnaryOperator<String> normalizer) {
            this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
            return this;
        }

        /** Builds the extractor. */
        public Extractor build() {
            return new Extractor(this);
        }
    }
}
