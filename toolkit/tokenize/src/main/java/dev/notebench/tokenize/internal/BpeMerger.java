package dev.notebench.tokenize.internal;

import dev.notebench.internal.LongIntMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The BPE merge loop, step for step as Hugging Face's {@code BpeTrainer::do_train} runs it, so
 * that the merges and ids come out identical:
 * <ul>
 *   <li>a max-queue of (count, pair, positions) entries, ties broken by the smaller (left id,
 *       right id); an entry popped with a stale count is pushed back with the current one;</li>
 *   <li>a merge rewrites only the words in the popped entry's positions, left to right; counts
 *       change by the word's count for (prev, a), (b, next) down and (prev, new), (new, next) up;
 *       only pairs that gained get new entries (with the words where they gained);</li>
 *   <li>the merged pair's own count is left as it is, so a pair can be merged again from another
 *       entry; its token then already exists and keeps its id, and the pair keeps its last rank;</li>
 *   <li>pair counts are 32-bit, as in HF.</li>
 * </ul>
 */
public final class BpeMerger {
    /** Hears how far the merges are; may throw to stop them. */
    public interface Progress {
        /**
         * Called every few merges.
         *
         * @param vocabSize the vocabulary size reached
         * @param target the vocabulary size asked for
         */
        void merged(int vocabSize, int target);
    }

    /** What the merges produced. */
    public record Result(List<String> vocab, List<int[]> merges, long pairsSeen) {
    }

    private static final class Entry {
        long count;
        final long pair;
        final int[] pos;

        Entry(long count, long pair, int[] pos) {
            this.count = count;
            this.pair = pair;
            this.pos = pos;
        }
    }

    private BpeMerger() {
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    /**
     * Runs the merges.
     *
     * @param words the distinct words (byte strings) and their counts
     * @param vocab the initial vocabulary by id: special tokens, then the alphabet
     * @param byteToId the id of each byte's character, or -1 for bytes outside the alphabet
     * @param vocabSize the vocabulary size to reach
     * @param minFrequency the smallest pair count that may still be merged
     * @param progress hears progress
     * @return the vocabulary by id and the merges (pairs of ids) by rank
     */
    public static Result merge(WordCounts words, List<String> vocab, int[] byteToId, int vocabSize,
                               long minFrequency, Progress progress) {
        int n = words.size();
        // all words' symbols in one arena; a merge shortens a word in place
        int[] offset = new int[n];
        int[] length = new int[n];
        int[] count = new int[n];
        long total = 0;
        for (int w = 0; w < n; w++) {
            total += words.length(w);
        }
        int[] sym = new int[Math.toIntExact(total)];
        int at = 0;
        for (int w = 0; w < n; w++) {
            offset[w] = at;
            count[w] = (int) words.count(w); // HF: counts[i] as i32
            for (int i = 0; i < words.length(w); i++) {
                int id = byteToId[words.byteAt(w, i)];
                if (id >= 0) { // a byte left out of a limited alphabet is skipped, as HF skips it
                    sym[at++] = id;
                }
            }
            length[w] = at - offset[w];
        }

        List<String> idToWord = new ArrayList<>(vocab);
        Map<String, Integer> wordToId = new HashMap<>(vocabSize * 2);
        for (int i = 0; i < idToWord.size(); i++) {
            wordToId.putIfAbsent(idToWord.get(i), i);
        }

        // count pairs and, for each pair, the distinct words it occurs in (as HF's where_to_update),
        // in flat arrays rather than a map of boxed lists
        LongIntMap pairCounts = new LongIntMap(1 << 16);
        LongIntMap pairIndex = new LongIntMap(1 << 16); // pair -> index + 1
        long[] pairs = new long[1 << 12];
        int[] lastWord = new int[1 << 12];
        int[] incidences = new int[1 << 12];
        int nPairs = 0;
        for (int w = 0; w < n; w++) {
            int o = offset[w];
            for (int i = 0; i + 1 < length[w]; i++) {
                long p = pair(sym[o + i], sym[o + i + 1]);
                pairCounts.add(p, count[w]);
                int idx = pairIndex.get(p) - 1;
                if (idx < 0) {
                    if (nPairs == pairs.length) {
                        pairs = java.util.Arrays.copyOf(pairs, nPairs * 2);
                        lastWord = java.util.Arrays.copyOf(lastWord, nPairs * 2);
                        incidences = java.util.Arrays.copyOf(incidences, nPairs * 2);
                    }
                    idx = nPairs++;
                    pairIndex.add(p, idx + 1);
                    pairs[idx] = p;
                    lastWord[idx] = -1;
                }
                if (lastWord[idx] != w) {
                    lastWord[idx] = w;
                    incidences[idx]++;
                }
            }
        }
        int[][] positions = new int[nPairs][];
        for (int k = 0; k < nPairs; k++) {
            positions[k] = new int[incidences[k]];
            incidences[k] = 0;
            lastWord[k] = -1;
        }
        for (int w = 0; w < n; w++) {
            int o = offset[w];
            for (int i = 0; i + 1 < length[w]; i++) {
                int idx = pairIndex.get(pair(sym[o + i], sym[o + i + 1])) - 1;
                if (lastWord[idx] != w) {
                    lastWord[idx] = w;
                    positions[idx][incidences[idx]++] = w;
                }
            }
        }
        pairIndex = null;
        lastWord = null;
        incidences = null;
        PriorityQueue<Entry> queue = new PriorityQueue<>(Math.max(1, nPairs), (x, y) -> {
            int c = Long.compare(y.count, x.count);
            return c != 0 ? c : Long.compare(x.pair, y.pair);
        });
        for (int k = 0; k < nPairs; k++) {
            int c = pairCounts.get(pairs[k]);
            if (c > 0) {
                queue.add(new Entry(c, pairs[k], positions[k]));
            }
            positions[k] = null;
        }
        long pairsSeen = nPairs;
        pairs = null;

        List<long[]> mergeLog = new ArrayList<>();
        PairBuckets gained = new PairBuckets();
        while (wordToId.size() < vocabSize) {
            Entry top = queue.poll();
            if (top == null) {
                break;
            }
            int current = pairCounts.get(top.pair);
            if (top.count != current) {
                top.count = current;
                queue.add(top);
                continue;
            }
            if (top.count < 1 || minFrequency > top.count) {
                break;
            }
            int a = (int) (top.pair >>> 32);
            int b = (int) top.pair;
            String token = idToWord.get(a) + idToWord.get(b);
            Integer existing = wordToId.get(token);
            int newId;
            if (existing == null) {
                newId = idToWord.size();
                idToWord.add(token);
                wordToId.put(token, newId);
            } else {
                newId = existing;
            }
            mergeLog.add(new long[] {top.pair, newId});

            for (int w : top.pos) {
                int o = offset[w];
                int len = length[w];
                int cw = count[w];
                int i = 0;
                while (i < len) {
                    if (sym[o + i] == a && i + 1 < len && sym[o + i + 1] == b) {
                        if (i > 0) {
                            int prev = sym[o + i - 1];
                            pairCounts.add(pair(prev, a), -cw);
                            long g = pair(prev, newId);
                            pairCounts.add(g, cw);
                            gained.add(g, w);
                        }
                        sym[o + i] = newId;
                        System.arraycopy(sym, o + i + 2, sym, o + i + 1, len - i - 2);
                        len--;
                        if (i < len - 1) {
                            int next = sym[o + i + 1];
                            pairCounts.add(pair(b, next), -cw);
                            long g = pair(newId, next);
                            pairCounts.add(g, cw);
                            gained.add(g, w);
                        }
                    }
                    i++;
                }
                length[w] = len;
            }
            for (int k = 0; k < gained.size(); k++) {
                int c = pairCounts.get(gained.pair(k));
                if (c > 0) {
                    queue.add(new Entry(c, gained.pair(k), gained.words(k)));
                }
            }
            gained.clear();
            if ((mergeLog.size() & 63) == 0) {
                progress.merged(wordToId.size(), vocabSize);
            }
        }
        progress.merged(wordToId.size(), vocabSize);

        // a pair merged twice keeps its last rank (HF stores merges in a map before writing them)
        Map<Long, Integer> lastRank = new HashMap<>(mergeLog.size() * 2);
        for (int r = 0; r < mergeLog.size(); r++) {
            lastRank.put(mergeLog.get(r)[0], r);
        }
        List<int[]> merges = new ArrayList<>(lastRank.size());
        for (int r = 0; r < mergeLog.size(); r++) {
            long p = mergeLog.get(r)[0];
            if (lastRank.get(p) == r) {
                merges.add(new int[] {(int) (p >>> 32), (int) p});
            }
        }
        return new Result(idToWord, merges, pairsSeen);
    }

}
