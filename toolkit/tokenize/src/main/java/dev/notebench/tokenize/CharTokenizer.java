package dev.notebench.tokenize;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One token per Unicode character (code point), for character-level models such as the
 * char-LSTM: the vocabulary is the corpus's characters, most frequent first, after id 0, the
 * unknown token; unseen characters encode to it and decode as U+FFFD.
 *
 * <pre>{@code
 * CharTraining t = CharTokenizer.train(Corpus.of("datasets/sotu/sotu-sample.txt"), 0, 1);
 * t.tokenizer().save(Path.of("chars.json"));
 * }</pre>
 */
public final class CharTokenizer implements Tokenizer {
    /** The unknown token's text in saved files. */
    public static final String UNK = "<unk>";
    private static final String TYPE = "notebench-char";

    private final int[] codePoints; // by id; id 0 is the unknown token
    private final Map<Integer, Integer> ids;

    private CharTokenizer(int[] codePoints) {
        this.codePoints = codePoints;
        this.ids = new HashMap<>(codePoints.length * 2);
        for (int i = 1; i < codePoints.length; i++) {
            ids.put(codePoints[i], i);
        }
    }

    /**
     * A tokenizer over the given characters, in id order after the unknown token.
     *
     * @param chars the characters (each code point once)
     */
    public static CharTokenizer of(String chars) {
        int[] cps = chars.codePoints().distinct().toArray();
        int[] withUnk = new int[cps.length + 1];
        withUnk[0] = -1;
        System.arraycopy(cps, 0, withUnk, 1, cps.length);
        return new CharTokenizer(withUnk);
    }

    /**
     * Learns the characters of a corpus (its training lines).
     *
     * @param corpus the corpus
     * @param maxVocab the most ids to keep, unknown included (0: all)
     * @param minFrequency the fewest occurrences a character needs
     * @return the tokenizer and what was read
     */
    public static CharTraining train(Corpus corpus, int maxVocab, long minFrequency) {
        return train(corpus, maxVocab, minFrequency, TrainingListener.NONE);
    }

    /**
     * Learns the characters of a corpus, reporting progress.
     *
     * @param corpus the corpus
     * @param maxVocab the most ids to keep, unknown included (0: all)
     * @param minFrequency the fewest occurrences a character needs
     * @param listener hears how much was read
     * @return the tokenizer and what was read
     */
    public static CharTraining train(Corpus corpus, int maxVocab, long minFrequency, TrainingListener listener) {
        long t0 = System.nanoTime();
        CorpusScan.Result<CharSink> scan = CorpusScan.scan(corpus, Runtime.getRuntime().availableProcessors(),
                listener::counting, CharSink::new);
        Map<Integer, long[]> counts = new HashMap<>();
        for (CharSink s : scan.sinks()) {
            s.counts.forEach((cp, n) -> counts.computeIfAbsent(cp, k -> new long[1])[0] += n[0]);
        }
        if (scan.bytesRead() == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "corpus " + corpus.spec() + " is empty; give it some text");
        }
        List<Map.Entry<Integer, long[]>> kept = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : counts.entrySet()) {
            if (e.getValue()[0] >= minFrequency) {
                kept.add(e);
            }
        }
        kept.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Long.compare(b.getValue()[0], a.getValue()[0]) : Integer.compare(a.getKey(), b.getKey()));
        if (maxVocab > 0 && kept.size() > maxVocab - 1) {
            kept = kept.subList(0, Math.max(0, maxVocab - 1));
        }
        int[] cps = new int[kept.size() + 1];
        cps[0] = -1;
        for (int i = 0; i < kept.size(); i++) {
            cps[i + 1] = kept.get(i).getKey();
        }
        List<String> holdout = new ArrayList<>();
        for (CorpusScan.HeldOutLine l : scan.holdout()) {
            holdout.add(new String(l.utf8(), StandardCharsets.UTF_8));
        }
        CorpusSummary summary = new CorpusSummary(corpus.files().size(), scan.bytesRead(), scan.lines(), scan.trainLines(),
                scan.holdout().size(), counts.size(), scan.sha256());
        return new CharTraining(new CharTokenizer(cps), summary, holdout, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Loads a tokenizer saved with {@link #save}.
     *
     * @param file the file
     * @throws NotebenchException when it is missing or not a char tokenizer file
     */
    public static CharTokenizer load(Path file) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!TYPE.equals(json.get("type").getAsString())) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not a Notebench char tokenizer");
            }
            JsonArray chars = json.getAsJsonArray("chars");
            int[] cps = new int[chars.size() + 1];
            cps[0] = -1;
            for (int i = 0; i < chars.size(); i++) {
                cps[i + 1] = chars.get(i).getAsString().codePointAt(0);
            }
            return new CharTokenizer(cps);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "char tokenizer file " + file + " does not exist", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof NotebenchException n) {
                throw n;
            }
            throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot read char tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves the vocabulary as JSON: {@code {"type": "notebench-char", "unk_token": "<unk>", "chars": [...]}}.
     *
     * @param file where
     * @throws IOException when it cannot be written
     */
    public void save(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", TYPE);
        json.put("unk_token", UNK);
        List<String> chars = new ArrayList<>(codePoints.length - 1);
        for (int i = 1; i < codePoints.length; i++) {
            chars.add(Character.toString(codePoints[i]));
        }
        json.put("chars", chars);
        Files.writeString(file, new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(json),
                StandardCharsets.UTF_8);
    }

    @Override
    public String kind() {
        return "char";
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public int[] encode(String text) {
        return text.codePoints().map(cp -> ids.getOrDefault(cp, 0)).toArray();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder(ids.length);
        for (int id : ids) {
            out.appendCodePoint(id <= 0 || id >= codePoints.length ? 0xFFFD : codePoints[id]);
        }
        return out.toString();
    }

    @Override
    public String tokenText(int id) {
        return id == 0 ? UNK : Character.toString(codePoints[id]);
    }

    @Override
    public OptionalInt unkId() {
        return OptionalInt.of(0);
    }

    /** Counts code points of training lines. */
    static final class CharSink implements CorpusScan.LineSink {
        final Map<Integer, long[]> counts = new HashMap<>();

        @Override
        public void line(byte[] utf8, int from, int to) {
            int p = from;
            while (p < to) {
                int cp = dev.notebench.tokenize.internal.Utf8.codePointAt(utf8, p);
                counts.computeIfAbsent(cp, k -> new long[1])[0]++;
                p += dev.notebench.tokenize.internal.Utf8.length(utf8[p]);
            }
        }
    }

    /**
     * The result of {@link #train}.
     *
     * @param tokenizer the tokenizer
     * @param corpus what was read ({@code distinctWords} counts distinct characters here)
     * @param holdout the held-out lines
     * @param time how long it took
     */
    public record CharTraining(CharTokenizer tokenizer, CorpusSummary corpus, List<String> holdout, Duration time) {
        /** Copies the list. */
        public CharTraining {
            holdout = List.copyOf(holdout);
        }
    }
}
