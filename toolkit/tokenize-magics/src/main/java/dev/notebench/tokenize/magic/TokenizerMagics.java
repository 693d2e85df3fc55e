package dev.notebench.tokenize.magic;

import dev.notebench.magics.DeclaredMagics;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicOptions;
import dev.notebench.options.OptionValues;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.tokenize.HoldoutStats;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.TokenizerOptions;
import dev.notebench.tokenize.TrainSpec;
import dev.notebench.tokenize.shards.CorpusEncoder;
import dev.notebench.tokenize.shards.ShardManifest;
import dev.notebench.progress.NotebookProgress;
import dev.notebench.tokenize.ProgressListener;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.Optional;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code %tokenizer train|encode|stats}: train a byte-level BPE, char or SentencePiece tokenizer
 * on a corpus with a progress bar and a statistics table; encode text with a trained one; measure
 * one on a corpus.
 */
public final class TokenizerMagics implements DeclaredMagics {
    static final MagicOptions SYNTAX = MagicOptions.commands("%tokenizer").withCommand("train", TokenizerOptions.TRAIN)
            .withCommand("encode", TokenizerOptions.ENCODE).withCommand("stats", TokenizerOptions.STATS);
    static final String USAGE = SYNTAX.usage();

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
     * @return the artifact (train), the ids (encode a text), the shards' manifest (encode a corpus) or the
     *     statistics (stats)
     */
    @LineMagic
    @MagicDoc(summary = "Trains a tokenizer on a corpus (a file, a directory or a glob) and writes it with a manifest.json"
                    + " to --out: byte-level BPE (the same tokenizer.json as Hugging Face's trainer, default vocab 8000),"
                    + " char, or SentencePiece BPE (needs spm_train). A progress bar shows counting and merging; a table"
                    + " shows coverage, unknown-token rate, tokens per character and word, and the vocabulary used, measured"
                    + " on the held-out lines (5% by default). encode shows the tokens of a text; stats measures a trained"
                    + " tokenizer on a corpus; encode --corpus GLOB --out DIR writes the corpus as token-id shards"
                    + " (the data %train --tokens DIR trains on), in parallel, resumable.",
            example = "%tokenizer train --corpus ../datasets/sotu/sotu-sample.txt --vocab 2000 --out ../build/tok")
    public Object tokenizer(List<String> args) {
        MagicOptions.Invocation call = SYNTAX.parseCommand(args);
        OptionValues a = call.values();
        return switch (call.command()) {
            case "train" -> train(SYNTAX.checked(() -> TokenizerOptions.spec(a)));
            case "encode" -> SYNTAX.checked(() -> TokenizerOptions.encodesCorpus(a)) ? shards(a) : encode(a);
            default -> stats(a);
        };
    }

    private TokenizerArtifact train(TrainSpec spec) {
        TokenizerArtifact artifact;
        try (NotebookProgress bar = new NotebookProgress(context.display())) {
            artifact = TokenizerArtifact.train(spec, new ProgressListener(bar), context.environment());
        }
        context.display().show(artifact.toString());
        artifact.stats().ifPresent(s -> {
            context.display().show(s.table());
            context.display().show(s.longestTokensTable());
        });
        return artifact;
    }

    private int[] encode(OptionValues a) {
        String text = String.join(" ", a.positional());
        try (Tokenizer t = TokenizerArtifact.load(a.get(TokenizerOptions.TOKENIZER))) {
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

    private ShardManifest shards(OptionValues a) {
        try (Tokenizer t = TokenizerArtifact.load(a.get(TokenizerOptions.TOKENIZER))) {
            CorpusEncoder.Builder encoder = TokenizerOptions.encoder(a, t);
            CorpusEncoder.Result r;
            try (NotebookProgress bar = new NotebookProgress(context.display())) {
                r = encoder.progress(bar).build().encode();
            }
            ShardManifest m = r.manifest();
            context.display().show(String.format(Locale.ROOT, "%s: %d shards (%d encoded now), %,d tokens (%s)",
                    a.get(TokenizerOptions.SHARDS_OUT), m.shards().size(), r.encoded(), m.tokens(), m.dtype().jsonName()));
            return m;
        }
    }

    private HoldoutStats stats(OptionValues a) {
        List<String> lines = TokenizerOptions.corpus(a, TokenizerOptions.CORPUS).readLines();
        try (Tokenizer t = TokenizerArtifact.load(a.get(TokenizerOptions.TOKENIZER))) {
            HoldoutStats s = HoldoutStats.compute(t, lines, 10);
            context.display().show(s.table());
            context.display().show(s.longestTokensTable());
            return s;
        }
    }

    @Override
    public Optional<MagicOptions> syntax(String magic) {
        return magic.equals("tokenizer") ? Optional.of(SYNTAX) : Optional.empty();
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
