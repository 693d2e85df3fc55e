package dev.notebench.cli;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.tokenize.HoldoutStats;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.TokenizerOptions;
import dev.notebench.tokenize.TrainSpec;
import dev.notebench.tokenize.ProgressListener;
import dev.notebench.tokenize.shards.CorpusEncoder;
import dev.notebench.tokenize.shards.ShardManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./notebench tokenizer train|encode|stats}: the same jobs as the {@code %tokenizer} magic. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Train, use and measure tokenizers (byte-level BPE, char, SentencePiece).",
        subcommands = {TokenizerCommand.Train.class, TokenizerCommand.Encode.class, TokenizerCommand.Stats.class,
                TokenizerCommand.Count.class})
final class TokenizerCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give train, encode or stats; --help explains them");
    }

    @Command(name = "train", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = {"Train a tokenizer and write it with manifest.json to --out.",
                    "Byte-level BPE writes the tokenizer.json Hugging Face's trainer writes; holdout statistics are printed."})
    static final class Train implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return TokenizerOptions.TRAIN;
        }

        @Override
        public Integer call() {
            TrainSpec s = TokenizerOptions.spec(Declared.values(spec, options()));
            TokenizerArtifact a;
            try (TerminalProgress progress = new TerminalProgress(System.err)) {
                a = TokenizerArtifact.train(s, new ProgressListener(progress), System.getenv()); // read here, at the edge
            }
            PrintWriter o = spec.commandLine().getOut();
            o.println("Wrote " + a);
            a.stats().ifPresent(st -> {
                o.print(st.table().print());
                o.println();
                o.print(st.longestTokensTable().print());
                o.println();
            });
            return 0;
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Print the ids and tokens of a text, or with --corpus and --out encode a corpus into token shards"
                    + " (shard-NNNNN.bin and shards.json, the data ./notebench train --tokens DIR reads), in parallel;"
                    + " a rerun after a kill finishes what is missing.")
    static final class Encode implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return TokenizerOptions.ENCODE;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            if (TokenizerOptions.encodesCorpus(v)) {
                return shards(v);
            }
            try (Tokenizer t = TokenizerArtifact.load(v.get(TokenizerOptions.TOKENIZER))) {
                int[] ids = t.encode(String.join(" ", v.positional()));
                PrintWriter o = spec.commandLine().getOut();
                List<String> tokens = new ArrayList<>();
                StringBuilder idList = new StringBuilder();
                for (int id : ids) {
                    idList.append(idList.length() == 0 ? "" : " ").append(id);
                    tokens.add("[" + t.tokenText(id) + "]");
                }
                o.println(idList);
                o.println(String.join(" ", tokens));
            }
            return 0;
        }

        private int shards(OptionValues v) {
            try (Tokenizer t = TokenizerArtifact.load(v.get(TokenizerOptions.TOKENIZER))) {
                CorpusEncoder.Builder encoder = TokenizerOptions.encoder(v, t);
                long t0 = System.nanoTime(); // the edge: the summary's rate only
                CorpusEncoder.Result r;
                try (TerminalProgress progress = new TerminalProgress(System.err)) {
                    r = encoder.progress(progress).build().encode();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                ShardManifest m = r.manifest();
                PrintWriter o = spec.commandLine().getOut();
                Path out = v.get(TokenizerOptions.SHARDS_OUT);
                if (r.encoded() == 0) {
                    o.printf(Locale.ROOT, "%s is complete: %d shards, %,d tokens (%s); nothing to encode%n", out,
                            m.shards().size(), m.tokens(), m.dtype().jsonName());
                } else {
                    o.printf(Locale.ROOT, "Wrote %d shards to %s%s: %,d tokens (%s) from %.1f MB of text, %,.0f tokens/s%n",
                            m.shards().size(), out, r.skipped() > 0 ? " (" + r.skipped() + " already whole)" : "", m.tokens(),
                            m.dtype().jsonName(), r.bytesEncoded() / 1e6, r.tokensEncoded() / seconds);
                }
            }
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Measure a tokenizer on a corpus (every line).")
    static final class Stats implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return TokenizerOptions.STATS;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            List<String> lines = TokenizerOptions.corpus(v, TokenizerOptions.CORPUS).readLines();
            try (Tokenizer t = TokenizerArtifact.load(v.get(TokenizerOptions.TOKENIZER))) {
                HoldoutStats s = HoldoutStats.compute(t, lines, 10);
                spec.commandLine().getOut().print(s.table().print());
                spec.commandLine().getOut().println();
            }
            return 0;
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Encode every line of a corpus and print how many tokens it has and how fast that went.")
    static final class Count implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return TokenizerOptions.COUNT;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            String corpus = v.get(TokenizerOptions.CORPUS);
            List<String> lines = TokenizerOptions.corpus(v, TokenizerOptions.CORPUS).readLines();
            if (lines.stream().allMatch(String::isBlank)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "the corpus " + corpus + " holds no text; give files with text");
            }
            try (Tokenizer t = TokenizerArtifact.load(v.get(TokenizerOptions.TOKENIZER))) {
                long t0 = System.nanoTime();
                long tokens = 0;
                for (int[] ids : t.encodeBatch(lines)) {
                    tokens += ids.length;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "{\"tokens\": %d, \"seconds\": %.3f, \"tokens_per_second\": %.0f}%n", tokens, seconds, tokens / seconds);
            }
            return 0;
        }
    }

}
