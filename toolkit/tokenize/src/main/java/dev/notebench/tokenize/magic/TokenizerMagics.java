package dev.notebench.tokenize.magic;

import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicSyntax;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Holdout;
import dev.notebench.tokenize.HoldoutStats;
import dev.notebench.tokenize.Normalization;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.TrainSpec;
import dev.notebench.progress.NotebookProgress;
import dev.notebench.tokenize.ProgressListener;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicsArgs;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code %tokenizer train|encode|stats}: train a byte-level BPE, char or SentencePiece tokenizer
 * on a corpus with a progress bar and a statistics table; encode text with a trained one; measure
 * one on a corpus.
 */
public final class TokenizerMagics {
    static final String USAGE = "%tokenizer train --corpus PATH|GLOB --out DIR [--type bpe|char|sentencepiece] [--vocab N]"
            + " [--min-frequency N] [--special TOKEN]... [--holdout FRACTION] [--holdout-by line|file] [--seed N]"
            + " [--normalize none|nfc|nfkc] [--lowercase] [--encoding CHARSET] [--errors strict|replace] [--threads N]"
            + "  |  %tokenizer encode --tokenizer DIR TEXT...  |  %tokenizer stats --tokenizer DIR --corpus PATH|GLOB";

    private static final MagicSyntax SYNTAX = MagicSyntax.of("%tokenizer", USAGE, MagicsArgs.builder()
            .required("command").varargs("text")
            .keyword("corpus").keyword("out").keyword("type").keyword("vocab").keyword("min-frequency")
            .keyword("special").keyword("holdout").keyword("holdout-by").keyword("seed").keyword("normalize")
            .keyword("lowercase").keyword("encoding").keyword("errors").keyword("threads").keyword("tokenizer")
            .onlyKnownKeywords().onlyKnownFlags().build()).withSwitches("lowercase");

    private final NotebookContext context;

    /**
     * Creates the magics.
     *
     * @param context the kernel
     */
    public TokenizerMagics(NotebookContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Runs a tokenizer command.
     *
     * @param args the command and its options
     * @return the artifact (train), the ids (encode) or the statistics (stats)
     */
    @LineMagic
    @MagicDoc(usage = USAGE,
            summary = "Trains a tokenizer on a corpus (a file, a directory or a glob) and writes it with a manifest.json"
                    + " to --out: byte-level BPE (the same tokenizer.json as Hugging Face's trainer, default vocab 8000),"
                    + " char, or SentencePiece BPE (needs spm_train). A progress bar shows counting and merging; a table"
                    + " shows coverage, unknown-token rate, tokens per character and word, and the vocabulary used, measured"
                    + " on the held-out lines (5% by default). encode shows the tokens of a text; stats measures a trained"
                    + " tokenizer on a corpus.",
            example = "%tokenizer train --corpus ../datasets/sotu/sotu-sample.txt --vocab 2000 --out ../build/tok")
    public Object tokenizer(List<String> args) {
        MagicSyntax.Arguments a = SYNTAX.parse(args);
        String command = a.get("command", "");
        return switch (command) {
            case "train" -> train(a);
            case "encode" -> encode(a);
            case "stats" -> stats(a);
            default -> throw SYNTAX.error("unknown command '" + command + "'; use train, encode or stats");
        };
    }

    private TokenizerArtifact train(MagicSyntax.Arguments a) {
        TrainSpec spec = spec(a);
        TokenizerArtifact artifact;
        try (NotebookProgress bar = new NotebookProgress(context.display())) {
            artifact = TokenizerArtifact.train(spec, new ProgressListener(bar));
        }
        context.display().show(artifact.toString());
        artifact.stats().ifPresent(s -> {
            context.display().show(s.table());
            context.display().show(s.longestTokensTable());
        });
        return artifact;
    }

    private int[] encode(MagicSyntax.Arguments a) {
        String dir = need(a, "tokenizer");
        String text = String.join(" ", a.all("text"));
        if (text.isEmpty()) {
            throw SYNTAX.error("give the text to encode after the options");
        }
        try (Tokenizer t = TokenizerArtifact.load(Path.of(dir))) {
            int[] ids = t.encode(text);
            IntColumn idCol = IntColumn.create("id");
            StringColumn tok = StringColumn.create("token");
            for (int id : ids) {
                idCol.append(id);
                tok.append(t.tokenText(id).replace(" ", "␣").replace("\n", "\\n"));
            }
            context.display().show(Table.create(ids.length + " tokens", idCol, tok));
            return ids;
        }
    }

    private HoldoutStats stats(MagicSyntax.Arguments a) {
        String dir = need(a, "tokenizer");
        List<String> lines = Corpus.of(need(a, "corpus")).readLines();
        try (Tokenizer t = TokenizerArtifact.load(Path.of(dir))) {
            HoldoutStats s = HoldoutStats.compute(t, lines, 10);
            context.display().show(s.table());
            context.display().show(s.longestTokensTable());
            return s;
        }
    }

    private static String need(MagicSyntax.Arguments a, String key) {
        String v = a.get(key, null);
        if (v == null || v.isBlank()) {
            throw SYNTAX.error("--" + key + " is required");
        }
        return v;
    }

    static TrainSpec spec(MagicSyntax.Arguments a) {
        TrainSpec.Kind kind;
        try {
            kind = TrainSpec.Kind.parse(a.get("type", "bpe"));
        } catch (RuntimeException e) {
            throw SYNTAX.error(e.getMessage());
        }
        TrainSpec d = TrainSpec.defaults(kind, need(a, "corpus"), Path.of(need(a, "out")));
        try {
            double fraction = Double.parseDouble(a.get("holdout", String.valueOf(d.holdout().fraction())));
            long seed = Long.parseLong(a.get("seed", String.valueOf(d.holdout().seed())));
            Holdout holdout = "file".equalsIgnoreCase(a.get("holdout-by", "line")) ? Holdout.files(fraction, seed)
                    : Holdout.lines(fraction, seed);
            if (!List.of("line", "file").contains(a.get("holdout-by", "line").toLowerCase(Locale.ROOT))) {
                throw SYNTAX.error("--holdout-by must be line or file");
            }
            Normalization norm = Normalization.valueOf(a.get("normalize", "none").toUpperCase(Locale.ROOT));
            Corpus.Errors errors = Corpus.Errors.valueOf(a.get("errors", "strict").toUpperCase(Locale.ROOT));
            List<String> specials = a.has("special") ? a.all("special") : d.specialTokens();
            return new TrainSpec(kind, d.corpus(), d.out(), a.getInt("vocab", d.vocabSize(), 0, 10_000_000),
                    a.getInt("min-frequency", (int) d.minFrequency(), 0, Integer.MAX_VALUE), specials, norm,
                    a.has("lowercase"), holdout, a.get("encoding", d.encoding()), errors,
                    a.getInt("threads", d.threads(), 1, 1024));
        } catch (NumberFormatException e) {
            throw SYNTAX.error("--holdout and --seed must be numbers: " + e.getMessage());
        } catch (dev.notebench.magics.MagicUsageException e) {
            throw e;
        } catch (dev.notebench.NotebenchException e) {
            throw SYNTAX.error(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw SYNTAX.error("--normalize must be none, nfc or nfkc and --errors strict or replace");
        }
    }

    /** Finds {@link TokenizerMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements MagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(NotebookContext context) {
            return new TokenizerMagics(context);
        }
    }
}
