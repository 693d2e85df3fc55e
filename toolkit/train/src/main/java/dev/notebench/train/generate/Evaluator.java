package dev.notebench.train.generate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.TextFiles;
import dev.notebench.train.Losses;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.TrainConfig;
import dev.notebench.train.data.SftBatches;
import dev.notebench.train.data.SftExamples;
import dev.notebench.train.data.TokenData;
import dev.notebench.train.data.Windows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a run's model: loss, perplexity and tokens per character on its whole validation
 * split or on a given file, written to {@code eval/metrics.json}, plus seeded samples from a fixed
 * set of prompts in {@code eval/samples.jsonl}. A loaded model (a Hugging Face checkpoint) is
 * evaluated on a file, and nothing is written.
 *
 * <p>On a file, the loss is the mean over the predicted tokens (all but the first) of
 * -ln p(token | the tokens before), as transformers computes it with {@code labels = input_ids}
 * when the text fits the model's context; a longer text is scored in windows of the context
 * length that start half a context apart, each predicting the tokens the one before did not
 * ({@link Scorer}).
 *
 * <p>Fine-tuning rows (a {@code .jsonl} file, {@link SftExamples}) are scored as the run trains on
 * them: one example a row, the loss over their completion targets only (TRL's masked mean, per
 * target over all rows); a run trained on such a file is evaluated on its validation rows. There
 * {@code tokens} counts the completion targets, and characters and tokens per character are those
 * of the completions.
 */
public final class Evaluator {
    /** The prompts samples start from unless others are given. */
    public static final List<String> DEFAULT_PROMPTS = List.of("The", "In the", "We will", "It is", "Our country");

    /** How the samples are drawn: the generation defaults, 40 new tokens each. */
    public static final GenerateOptions SAMPLING = GenerateOptions.defaults().withMaxNewTokens(40);

    private Evaluator() {
    }

    /**
     * What an evaluation measured.
     *
     * @param source "validation" or the file evaluated
     * @param tokens tokens scored
     * @param chars characters of the text
     * @param loss mean cross-entropy per token, in nats
     * @param perplexity e^loss
     * @param tokensPerChar tokens per character
     * @param step the step of the checkpoint evaluated
     * @param checkpoint the checkpoint's directory name
     */
    public record Metrics(String source, long tokens, long chars, double loss, double perplexity, double tokensPerChar,
                          long step, String checkpoint) {
    }

    /**
     * Evaluates a run's best (or latest) checkpoint and writes {@code eval/}.
     *
     * @param runDir the run directory
     * @param file a text file to evaluate on, or null for the run's validation split
     * @param prompts prompts for the samples (empty: none)
     * @param sampling how to sample
     * @return the metrics
     */
    public static Metrics evaluate(Path runDir, Path file, List<String> prompts, GenerateOptions sampling) {
        RunDirectory run = RunDirectory.open(runDir);
        try (TrainedModel m = TrainedModel.load(runDir)) {
            int seqLen = run.config().window(); // the run's --block-size, or its model's context
            Metrics metrics;
            TrainConfig c = run.config();
            Path tokenizerDir = SftExamples.tokenizerDir(c.tokenizer());
            if (file == null && SftExamples.isSftData(c.corpus())) {
                List<SftExamples.Example> rows = SftExamples.read(Path.of(c.corpus()), m.tokenizer(), tokenizerDir, seqLen);
                metrics = completions(m, new SftBatches(rows, c.valFraction(), c.batchSize(), c.seed()), "validation");
            } else if (file == null) {
                try (TokenData data = run.tokens(m.tokenizer())) {
                    metrics = validation(m, data, seqLen);
                }
            } else if (SftExamples.isSftData(file.toString())) {
                metrics = completions(m, SftBatches.evaluation(SftExamples.read(file, m.tokenizer(), tokenizerDir, seqLen)),
                        file.toString());
            } else {
                metrics = onFile(m, file);
            }
            write(runDir, metrics, samples(m, prompts, sampling));
            return metrics;
        }
    }

    /**
     * Evaluates a loaded model on a text file, or on the completions of fine-tuning rows (a
     * {@code .jsonl} file, tokenized as {@code --init-from} trains on them: the checkpoint's
     * {@code tokenizer.json} adding no special tokens, chat rows by its template); writes nothing.
     *
     * @param model the model and its tokenizer
     * @param file the text or rows
     * @return the metrics (step -1; the checkpoint is the model's directory name)
     * @throws NotebenchException DATA_INVALID when the text has fewer than two tokens, or naming a bad row
     */
    public static Metrics evaluate(TrainedModel model, Path file) {
        if (!SftExamples.isSftData(file.toString())) {
            return onFile(model, file);
        }
        // as --init-from trains on the checkpoint: its tokenizer.json adding no special tokens (the template writes them)
        Path dir = model.checkpoint();
        int window = model.model().contextLength() > 0 ? model.model().contextLength() : Integer.MAX_VALUE - 1;
        try (Tokenizer plain = TokenizerArtifact.load(dir.resolve("tokenizer.json"))) {
            return completions(model, SftBatches.evaluation(SftExamples.read(file, plain, dir, window)), file.toString());
        }
    }

    private static Metrics validation(TrainedModel m, TokenData data, int seqLen) {
        Windows w = new Windows(data, seqLen, 16, 0);
        long n = w.validationWindows();
        double loss = Losses.validationLoss(m.model(), w, n, 16, m.manager());
        long tokens = n * seqLen;
        int[] ids = new int[(int) Math.min(data.valTokens(), Integer.MAX_VALUE - 8)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = data.get(data.trainTokens() + i);
        }
        String text = m.tokenizer().decode(ids);
        return new Metrics("validation", tokens, text.codePointCount(0, text.length()), loss, Math.exp(loss),
                (double) ids.length / text.codePointCount(0, text.length()), m.step(), m.checkpoint().getFileName().toString());
    }

    /** The loss over the completion targets of the validation rows, 16 rows a batch. */
    private static Metrics completions(TrainedModel m, SftBatches data, String source) {
        double loss = Losses.validationLoss(m.model(), data, data.validationWindows(), 16, m.manager());
        long tokens = 0;
        StringBuilder text = new StringBuilder();
        for (SftExamples.Example e : data.validationExamples()) {
            int[] completion = java.util.stream.IntStream.range(1, e.ids().length).filter(i -> e.trained()[i]).map(i -> e.ids()[i]).toArray();
            tokens += completion.length;
            text.append(m.tokenizer().decode(completion));
        }
        long chars = text.codePoints().count();
        return new Metrics(source, tokens, chars, loss, Math.exp(loss), (double) tokens / chars, m.step(),
                m.checkpoint().getFileName().toString());
    }

    private static Metrics onFile(TrainedModel m, Path file) {
        String text = TextFiles.readUtf8(file, "the text to evaluate");
        int[] ids = m.tokenizer().encode(text);
        if (ids.length < 2) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " has fewer than two tokens; nothing to evaluate");
        }
        Scorer.Score s = new Scorer(m).score(text, 1);
        long chars = text.codePointCount(0, text.length());
        return new Metrics(file.toString(), ids.length - 1, chars, s.loss(), s.perplexity(), (double) ids.length / chars,
                m.step(), m.checkpoint().getFileName().toString());
    }

    private static List<Map<String, Object>> samples(TrainedModel m, List<String> prompts, GenerateOptions o) {
        List<Map<String, Object>> out = new ArrayList<>();
        Generator g = new Generator(m);
        for (String p : prompts) {
            for (Generator.Sample s : g.generate(p, o)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("prompt", p);
                row.put("sample", s.text());
                row.put("stop_reason", s.stopReason());
                row.put("seed", o.seed());
                row.put("temperature", o.temperature());
                out.add(row);
            }
        }
        return out;
    }

    private static void write(Path runDir, Metrics metrics, List<Map<String, Object>> samples) {
        Path dir = runDir.resolve("eval");
        AtomicFiles.writeString(dir.resolve("metrics.json"), new GsonBuilder().setPrettyPrinting().create().toJson(metrics));
        Gson gson = new Gson();
        StringBuilder lines = new StringBuilder();
        for (Map<String, Object> s : samples) {
            lines.append(gson.toJson(s)).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("samples.jsonl"), lines.toString());
    }
}
