package dev.notebench.enrich;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a job would send and cost, estimated without sending anything (a dry run): the first
 * batch's request as it would be sent (its messages and response format; never headers or the
 * key), the number of calls (the batches of the same {@link Packer} a run uses), and the prompt and
 * completion tokens of the whole table with their cost.
 *
 * <p>Tokens are {@link #estimateTokens} of each message's text (the pieces a GPT-style
 * pre-tokenizer cuts, each counted by its length: JSON is denser in tokens than prose, which a
 * token per 4 bytes misses), plus {@value #MESSAGE_OVERHEAD_TOKENS} per message and
 * {@value #REPLY_PRIMING_TOKENS} per call for the chat format (OpenAI's documented count for its
 * chat models). The response format's schema is
 * not counted: servers differ on whether they bill it. Completion tokens are estimated from the
 * answer's shape: the keyed JSON of each batch ({@code {"<id>": {...}}}) with typical values (enum
 * values in turn, {@code false}, {@code 0.75}, {@code 3}, a string of a few words), not a guess per
 * row. Re-asked rows are not foreseen: the estimate is what a run costs when every answer is good.
 *
 * <p>With the served model's tokenizer ({@link TokenCount#with}, {@code --tokenizer}) every text
 * is counted by it instead: the prompt's count is then the server's up to its chat template's
 * overhead, and the completion's differs only by the typical answer's values.
 */
public final class CostEstimate {
    /** Tokens counted per message beyond its text (role and delimiters). */
    static final int MESSAGE_OVERHEAD_TOKENS = 3;
    /** Tokens counted per call for the start of the reply. */
    static final int REPLY_PRIMING_TOKENS = 3;
    private static final String TYPICAL_STRING = "a short answer of a few words";
    /** The pieces GPT-2's and its successors' byte-level BPE pre-tokenizers cut a text into. */
    private static final Pattern PIECES = Pattern.compile("'(?:s|t|re|ve|m|ll|d)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private final String provider;
    private final int rows;
    private final int calls;
    private final long promptTokens;
    private final long completionTokens;
    private final Prices prices;
    private final String firstRequest;
    private final boolean batchJob;
    private final String counted;

    private CostEstimate(String provider, int rows, int calls, long promptTokens, long completionTokens, Prices prices,
                         String firstRequest, boolean batchJob, String counted) {
        this.batchJob = batchJob;
        this.counted = counted;
        this.provider = provider;
        this.rows = rows;
        this.calls = calls;
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        this.prices = prices;
        this.firstRequest = firstRequest;
    }

    /**
     * Estimates the calls to a chat server.
     *
     * @param provider the provider's name, for the overview
     * @param batches the batches a run would send, from the run's {@link Packer}
     * @param request a batch's request
     * @param body the request body as it would be sent (JSON with {@code messages} and perhaps {@code response_format})
     * @param prices the prices; null for none
     * @param count how a text's tokens are counted
     */
    static CostEstimate ofChat(String provider, List<List<Item>> batches, Function<List<Item>, AnnotationRequest> request,
                               Function<AnnotationRequest, String> body, Prices prices, TokenCount count) {
        long in = 0;
        long out = 0;
        String first = "";
        int rows = 0;
        for (List<Item> batch : batches) {
            AnnotationRequest r = request.apply(batch);
            JsonObject sent = JsonParser.parseString(body.apply(r)).getAsJsonObject();
            if (first.isEmpty()) {
                first = shown(sent);
            }
            in += promptTokens(sent, count.counter);
            out += count.counter.applyAsInt(typicalAnswer(r.schema(), batch));
            rows += batch.size();
        }
        return new CostEstimate(provider, rows, batches.size(), in, out, prices, first, false, count.source);
    }

    /**
     * An estimate for an annotator that runs here (the embedded labeler): its batches, no request, no tokens, no cost.
     *
     * @param provider the provider's name
     * @param batches the batches
     */
    static CostEstimate ofLocal(String provider, List<List<Item>> batches) {
        return new CostEstimate(provider, batches.stream().mapToInt(List::size).sum(), batches.size(), 0, 0, new Prices(0, 0), "", false,
                "none (nothing is sent)");
    }

    /**
     * An estimate of a text's tokens under a byte-level BPE tokenizer, with no vocabulary: the text
     * is cut as GPT-style pre-tokenizers cut it (words with their leading space, numbers,
     * punctuation runs, white space), and a piece counts a token per 6 letters of a word, per 3
     * digits of a number (as cl100k splits them), per 4 bytes of punctuation (JSON's {@code ":{"}
     * is one token), and one for white space; each piece at least one. Measured against a BPE
     * tokenizer in BENCHMARKS.md ("Enrichment: the dry run's estimate"); a token per 4 bytes was
     * 22-26% under there.
     */
    static int estimateTokens(String text) {
        int tokens = 0;
        Matcher m = PIECES.matcher(text);
        while (m.find()) {
            String piece = m.group();
            String p = piece.startsWith(" ") ? piece.substring(1) : piece;
            if (p.isEmpty() || Character.isWhitespace(p.codePointAt(0))) {
                tokens++;
            } else if (Character.isLetter(p.codePointAt(0))) {
                tokens += Math.max(1, (p.codePointCount(0, p.length()) + 5) / 6);
            } else if (Character.isDigit(p.codePointAt(0))) {
                tokens += (p.codePointCount(0, p.length()) + 2) / 3;
            } else {
                tokens += Math.max(1, (p.getBytes(StandardCharsets.UTF_8).length + 3) / 4);
            }
        }
        return tokens;
    }

    /** The prompt tokens of one request body, as {@link CostEstimate} estimates them without a tokenizer. */
    static long promptTokens(JsonObject body) {
        return promptTokens(body, CostEstimate::estimateTokens);
    }

    private static long promptTokens(JsonObject body, ToIntFunction<String> count) {
        long tokens = REPLY_PRIMING_TOKENS;
        for (JsonElement m : body.getAsJsonArray("messages")) {
            tokens += MESSAGE_OVERHEAD_TOKENS + count.applyAsInt(m.getAsJsonObject().get("content").getAsString());
        }
        return tokens;
    }

    /**
     * How an estimate counts a text's tokens: {@link #estimated()} without a tokenizer, or
     * {@link #with} the served model's tokenizer.
     */
    public static final class TokenCount {
        private final String source;
        private final ToIntFunction<String> counter;

        private TokenCount(String source, ToIntFunction<String> counter) {
            this.source = source;
            this.counter = counter;
        }

        /** Estimated without a tokenizer ({@link CostEstimate#estimateTokens}). */
        public static TokenCount estimated() {
            return new TokenCount("estimated without the model's tokenizer (--tokenizer counts them)", CostEstimate::estimateTokens);
        }

        /**
         * Counted by a tokenizer, used only while the estimate is made (close it afterwards).
         *
         * @param tokenizer the served model's tokenizer
         * @param file where it was loaded from, named in the overview
         */
        public static TokenCount with(dev.notebench.tokenize.Tokenizer tokenizer, Path file) {
            Objects.requireNonNull(tokenizer, "tokenizer");
            return new TokenCount("counted with " + file, text -> text.isEmpty() ? 0 : tokenizer.encode(text).length);
        }
    }

    /** The answer a batch would typically get, keyed by id, in compact JSON. */
    static String typicalAnswer(OutputSchema schema, List<Item> batch) {
        JsonObject answer = new JsonObject();
        for (int i = 0; i < batch.size(); i++) {
            JsonObject row = new JsonObject();
            for (Field f : schema.fields()) {
                switch (f.type()) {
                    case BOOLEAN -> row.addProperty(f.name(), false);
                    case NUMBER -> row.addProperty(f.name(), 0.75);
                    case INTEGER -> row.addProperty(f.name(), 3);
                    case ENUM -> row.addProperty(f.name(), f.values().get(i % f.values().size()));
                    case STRING -> row.addProperty(f.name(), TYPICAL_STRING);
                }
            }
            answer.add(Integer.toString(batch.get(i).id()), row);
        }
        return answer.toString();
    }

    /** The messages and the response format of a body, pretty-printed; nothing else of it (no headers are in a body). */
    private static String shown(JsonObject body) {
        JsonObject o = new JsonObject();
        o.add("messages", body.get("messages"));
        if (body.has("response_format")) {
            o.add("response_format", body.get("response_format"));
        }
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
    }

    /**
     * The same estimate for the requests sent as one provider batch job ({@code --batch-api}):
     * the first request is the job's first JSONL line, the calls are the job's requests.
     *
     * @param firstLine the first line of the job's JSONL file
     */
    CostEstimate asBatchJob(String firstLine) {
        return new CostEstimate(provider + " (batch API)", rows, calls, promptTokens, completionTokens, prices, firstLine, true,
                counted);
    }

    /** Whether the calls are the requests of one provider batch job. */
    public boolean batchJob() {
        return batchJob;
    }

    /** Rows the estimate covers. */
    public int rows() {
        return rows;
    }

    /** Calls a run would make (no re-asks). */
    public int calls() {
        return calls;
    }

    /** Estimated prompt tokens of the whole table. */
    public long promptTokens() {
        return promptTokens;
    }

    /** Estimated completion tokens of the whole table. */
    public long completionTokens() {
        return completionTokens;
    }

    /** The estimated cost with the prices given; empty without prices. */
    public OptionalDouble cost() {
        return prices == null ? OptionalDouble.empty() : OptionalDouble.of(prices.cost(promptTokens, completionTokens));
    }

    /**
     * The first batch's request as it would be sent: messages and response format as JSON; for a
     * batch job the first line of its JSONL file as uploaded; empty for a local annotator.
     */
    public String firstRequest() {
        return firstRequest;
    }

    /** The figures as a two-column table. */
    public Table overview() {
        StringColumn what = StringColumn.create("measure");
        StringColumn value = StringColumn.create("value");
        String[][] lines = {
                {"provider", provider},
                {"rows", Integer.toString(rows)},
                {batchJob ? "requests in the batch job's JSONL" : "calls", Integer.toString(calls)},
                {"prompt tokens (estimated)", Long.toString(promptTokens)},
                {"completion tokens (estimated)", Long.toString(completionTokens)},
                {"tokens", counted},
                {"estimated cost", cost().isPresent() ? String.format(Locale.ROOT, "%.4f", cost().getAsDouble())
                        : "(no prices given: --price-in, --price-out)"}};
        for (String[] l : lines) {
            what.append(l[0]);
            value.append(l[1]);
        }
        return Table.create("dry run: nothing sent", what, value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CostEstimate[%s: %d rows, %d calls, tokens %d/%d]", provider, rows, calls, promptTokens,
                completionTokens);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostEstimate e && e.provider.equals(provider) && e.rows == rows && e.calls == calls
                && e.promptTokens == promptTokens && e.completionTokens == completionTokens && Objects.equals(e.prices, prices)
                && e.firstRequest.equals(firstRequest) && e.batchJob == batchJob && e.counted.equals(counted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, rows, calls, promptTokens, completionTokens, prices, firstRequest);
    }
}
