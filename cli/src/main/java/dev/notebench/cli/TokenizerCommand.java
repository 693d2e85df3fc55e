package dev.notebench.cli;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Holdout;
import dev.notebench.tokenize.HoldoutStats;
import dev.notebench.tokenize.Normalization;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.TrainSpec;
import dev.notebench.tokenize.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a tokenizer and write it with manifest.json to --out.",
                    "Byte-level BPE writes the tokenizer.json Hugging Face's trainer writes; holdout statistics are printed."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--corpus", required = true, paramLabel = "PATH|GLOB", description = "A file, a directory or a glob.")
        String corpus;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The tokenizer directory to write.")
        Path out;

        @Option(names = "--type", defaultValue = "bpe", paramLabel = "bpe|char|sentencepiece",
                description = "The kind of tokenizer (default: ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "--vocab", paramLabel = "N", converter = Numbers.Count.class, description = "Vocabulary size (default: 8000; char: all characters).")
        Integer vocab;

        @Option(names = "--min-frequency", paramLabel = "N", description = "Smallest count still merged (bpe, default 2) or kept (char, default 1).")
        Long minFrequency;

        @Option(names = "--special", paramLabel = "TOKEN", description = "A special token; repeatable (bpe default: <|endoftext|>).")
        List<String> specials;

        @Option(names = "--holdout", defaultValue = "0.05", paramLabel = "FRACTION",
                description = "Share held out for statistics, 0 to 0.5 (default: ${DEFAULT-VALUE}).")
        double holdout;

        @Option(names = "--holdout-by", defaultValue = "line", paramLabel = "line|file", description = "Hold out lines or whole files (default: ${DEFAULT-VALUE}).")
        String holdoutBy;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of the holdout (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--normalize", defaultValue = "none", paramLabel = "none|nfc|nfkc", description = "Unicode normalization (default: ${DEFAULT-VALUE}).")
        String normalize;

        @Option(names = "--lowercase", description = "Lowercase the corpus.")
        boolean lowercase;

        @Option(names = "--encoding", defaultValue = "UTF-8", paramLabel = "CHARSET", description = "Corpus encoding (default: ${DEFAULT-VALUE}).")
        String encoding;

        @Option(names = "--errors", defaultValue = "strict", paramLabel = "strict|replace", description = "Malformed bytes: stop, or replace with U+FFFD (default: ${DEFAULT-VALUE}).")
        String errors;

        @Option(names = "--threads", paramLabel = "N", converter = Numbers.Threads.class,
                description = "Threads counting words (default: all cores).")
        Integer threads;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TrainSpec.Kind kind = TrainSpec.Kind.parse(type);
            TrainSpec d = TrainSpec.defaults(kind, corpus, out);
            Holdout h = switch (holdoutBy.toLowerCase(Locale.ROOT)) {
                case "line" -> Holdout.lines(holdout, seed);
                case "file" -> Holdout.files(holdout, seed);
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "--holdout-by must be line or file");
            };
            Normalization norm = parse(Normalization.class, normalize, "--normalize must be none, nfc or nfkc");
            Corpus.Errors err = parse(Corpus.Errors.class, errors, "--errors must be strict or replace");
            TrainSpec s = new TrainSpec(kind, corpus, out, vocab != null ? vocab : d.vocabSize(),
                    minFrequency != null ? minFrequency : d.minFrequency(), specials != null ? specials : d.specialTokens(),
                    norm, lowercase, h, encoding, err, threads != null ? threads : d.threads());
            TokenizerArtifact a;
            try (TerminalProgress progress = new TerminalProgress(System.err)) {
                a = TokenizerArtifact.train(s, new ProgressListener(progress));
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

        private <E extends Enum<E>> E parse(Class<E> type, String value, String message) {
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), message);
            }
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true, description = "Print the ids and tokens of a text.")
    static final class Encode implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "DIR|FILE", description = "A tokenizer directory or file.")
        Path tokenizer;

        @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The text (words are joined with spaces).")
        List<String> text;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Tokenizer t = TokenizerArtifact.load(tokenizer)) {
                int[] ids = t.encode(String.join(" ", text));
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
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Measure a tokenizer on a corpus (every line).")
    static final class Stats implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "DIR|FILE", description = "A tokenizer directory or file.")
        Path tokenizer;

        @Option(names = "--corpus", required = true, paramLabel = "PATH|GLOB", description = "A file, a directory or a glob.")
        String corpus;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> lines = Corpus.of(corpus).readLines();
            try (Tokenizer t = TokenizerArtifact.load(tokenizer)) {
                HoldoutStats s = HoldoutStats.compute(t, lines, 10);
                spec.commandLine().getOut().print(s.table().print());
                spec.commandLine().getOut().println();
            }
            return 0;
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true,
            description = "Encode every line of a corpus and print how many tokens it has and how fast that went.")
    static final class Count implements Callable<Integer> {
        @Option(names = "--tokenizer", required = true, paramLabel = "DIR|FILE", description = "A tokenizer directory or file.")
        Path tokenizer;

        @Option(names = "--corpus", required = true, paramLabel = "PATH|GLOB", description = "A file, a directory or a glob.")
        String corpus;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> lines = Corpus.of(corpus).readLines();
            if (lines.stream().allMatch(String::isBlank)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "the corpus " + corpus + " holds no text; give files with text");
            }
            try (Tokenizer t = TokenizerArtifact.load(tokenizer)) {
                long t0 = System.nanoTime();
                long tokens = 0;
                if (t instanceof dev.notebench.tokenize.HfTokenizer hf) {
                    for (int[] ids : hf.encodeBatch(lines)) {
                        tokens += ids.length;
                    }
                } else {
                    for (String l : lines) {
                        tokens += t.encode(l).length;
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "{\"tokens\": %d, \"seconds\": %.3f, \"tokens_per_second\": %.0f}%n", tokens, seconds, tokens / seconds);
            }
            return 0;
        }
    }

}
