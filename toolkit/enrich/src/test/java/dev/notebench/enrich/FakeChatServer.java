package dev.notebench.enrich;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake OpenAI-compatible chat-completions server on loopback, for protocol tests and benchmarks.
 * It reads the rows (JSON lines with id and text) from the user message and answers each with the
 * fields a labelling function gives: keyed by id ({@code {"0": {...}, ...}}) when the request's
 * {@code json_schema} asks for that shape, else in {@code {"rows": [...]}}. With
 * {@link Builder#constrainedDecoder} it is a fake of a grammar-constrained decoder with a weak
 * model instead: it answers the smallest document the request's schema allows
 * ({@link SmallestDocumentFake}). Faults are injected by a
 * {@link Script} per request: latency, a concurrency limit answered with 429 + Retry-After,
 * status codes, garbage bodies, missing / extra / repeated / invalid rows, cut-off answers,
 * refusing {@code json_schema}, Markdown fences, any raw answer (an HTML page, a server's error body
 * that echoes the request's {@code Authorization} header).
 */
public final class FakeChatServer implements AutoCloseable {
    static {
        // the JDK server writes headers and body separately: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms a call
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One received request: its number, its rows, its body and its headers (names in lower case, first values). */
    public record Call(int number, List<Item> rows, JsonObject body, Map<String, String> headers) {
        /** The Authorization header ("" for none). */
        public String authorization() {
            return headers.getOrDefault("authorization", "");
        }

        /** The response_format type asked for, or "text". */
        public String format() {
            return body.has("response_format") ? body.getAsJsonObject("response_format").get("type").getAsString() : "text";
        }
    }

    /** What to do with one call. */
    public static final class Reply {
        long delayMs;
        int status = 200;
        String contentType = "application/json";
        String retryAfter;
        String rawBody;
        List<Integer> drop = new ArrayList<>();
        List<Integer> repeat = new ArrayList<>();
        List<Integer> extra = new ArrayList<>();
        Map<Integer, JsonObject> replace = new ConcurrentHashMap<>();
        Integer truncateAt;
        boolean fenced;
        boolean prose;

        /** Waits before answering. */
        public Reply delay(long ms) {
            this.delayMs = ms;
            return this;
        }

        /** Answers with this status and a JSON error body. */
        public Reply status(int status, String message) {
            this.status = status;
            this.rawBody = "{\"error\":{\"message\":\"" + message + "\"}}";
            return this;
        }

        /** Adds a Retry-After header. */
        public Reply retryAfter(String value) {
            this.retryAfter = value;
            return this;
        }

        /** Answers with this status, content type and body as is (an HTML error page, a server's own error JSON). */
        public Reply raw(int status, String contentType, String body) {
            this.status = status;
            this.contentType = contentType;
            this.rawBody = body;
            return this;
        }

        /** Answers 200 with this body as is. */
        public Reply body(String raw) {
            this.rawBody = raw;
            return this;
        }

        /** Leaves the row with this id out. */
        public Reply drop(int id) {
            drop.add(id);
            return this;
        }

        /** Answers the row with this id twice. */
        public Reply repeat(int id) {
            repeat.add(id);
            return this;
        }

        /** Adds a row with an id nobody asked about. */
        public Reply extra(int id) {
            extra.add(id);
            return this;
        }

        /** Answers the row with this id with this object instead. */
        public Reply replace(int id, JsonObject row) {
            replace.put(id, row);
            return this;
        }

        /** Cuts the answer's content after this many characters (finish_reason "length"). */
        public Reply truncate(int chars) {
            this.truncateAt = chars;
            return this;
        }

        /** Wraps the content in a Markdown fence after a sentence of prose. */
        public Reply fencedWithProse() {
            this.fenced = true;
            this.prose = true;
            return this;
        }
    }

    /** Decides each call's reply. */
    @FunctionalInterface
    public interface Script {
        /**
         * Decides a reply.
         *
         * @param call the call
         * @return the reply
         */
        Reply reply(Call call);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Function<Item, JsonObject> labeler;
    private final Script script;
    private final int concurrencyLimit;
    private final int limitUntil;
    private final String retryAfterWhenBusy;
    private final boolean refuseJsonSchema;
    private final boolean constrainedDecoder;
    private final java.util.function.ToIntFunction<String> tokens;
    private final int[] usagePerCall;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final Map<Integer, AtomicInteger> asks = new ConcurrentHashMap<>();
    private final List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<String> authorizations = ConcurrentHashMap.newKeySet();

    private FakeChatServer(Builder b) throws IOException {
        this.labeler = b.labeler;
        this.usagePerCall = b.usagePerCall;
        this.script = b.script;
        this.concurrencyLimit = b.concurrencyLimit;
        this.limitUntil = b.limitUntil;
        this.retryAfterWhenBusy = b.retryAfterWhenBusy;
        this.refuseJsonSchema = b.refuseJsonSchema;
        this.constrainedDecoder = b.constrainedDecoder;
        this.tokens = b.tokens;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 512);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /**
     * A labeler for a simulation of an accurate model: each row gets, in {@code field}, the gold
     * label its text has in {@code goldByText} (rows sent with another text get no value, so the
     * checker refuses them). With a latency ({@link Reply#delay}) and a price per call
     * ({@link Builder#usagePerCall} times the client's price per token) it stands in for an
     * expensive model that is always right, to measure what a cascade saves.
     *
     * @param goldByText each row text's gold label
     * @param field the field to answer (a single-label schema's column)
     */
    public static Function<Item, JsonObject> goldAnswers(Map<String, String> goldByText, String field) {
        Map<String, String> gold = Map.copyOf(goldByText);
        return row -> {
            JsonObject o = new JsonObject();
            String label = gold.get(row.text());
            if (label != null) {
                o.addProperty(field, label);
            }
            return o;
        };
    }

    /** Starts describing a fake whose rows get the fields {@code labeler} computes from them. */
    public static Builder builder(Function<Item, JsonObject> labeler) {
        return new Builder(labeler);
    }

    /** The base URL, ending in /v1. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Requests received (429s included). */
    public int requests() {
        return requests.get();
    }

    /** Requests answered 200. */
    public int answered() {
        return answered.get();
    }

    /** Requests refused with 429 for the concurrency limit. */
    public int throttled() {
        return throttled.get();
    }

    /** The most requests that were being handled at once (refused ones excluded). */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    /** How many times the row with this id was sent in an answered request. */
    public int asks(int id) {
        AtomicInteger n = asks.get(id);
        return n == null ? 0 : n.get();
    }

    /** The distinct Authorization headers received ("" for none). */
    public java.util.Set<String> authorizations() {
        return java.util.Set.copyOf(authorizations);
    }

    /** Every call received, in order of arrival. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        int number = requests.getAndIncrement();
        try (exchange) {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            JsonObject body = JsonParser.parseString(text).getAsJsonObject();
            if (refuseJsonSchema && body.has("response_format")
                    && body.getAsJsonObject("response_format").get("type").getAsString().equals("json_schema")) {
                send(exchange, 400, null, "application/json", "{\"error\":{\"message\":\"response_format json_schema is not supported\"}}");
                return;
            }
            int now = inFlight.incrementAndGet();
            try {
                if (concurrencyLimit > 0 && now > concurrencyLimit && number < limitUntil) {
                    throttled.incrementAndGet();
                    send(exchange, 429, retryAfterWhenBusy, "application/json", "{\"error\":{\"message\":\"too many concurrent requests\"}}");
                    return;
                }
                peakInFlight.accumulateAndGet(now, Math::max);
                Map<String, String> headers = new java.util.TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
                Call call = new Call(number, rows(body), body, Map.copyOf(headers));
                calls.add(call);
                Reply reply = script.reply(call);
                if (reply.delayMs > 0) {
                    Thread.sleep(reply.delayMs);
                }
                if (reply.status != 200 || reply.rawBody != null) {
                    send(exchange, reply.status, reply.retryAfter, reply.contentType, reply.rawBody);
                    return;
                }
                call.rows().forEach(r -> asks.computeIfAbsent(r.id(), k -> new AtomicInteger()).incrementAndGet());
                answered.incrementAndGet();
                send(exchange, 200, null, "application/json", completion(call, reply));
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client went away (a timeout): nothing to answer
        }
    }

    private static List<Item> rows(JsonObject body) {
        JsonArray messages = body.getAsJsonArray("messages");
        String user = messages.get(messages.size() - 1).getAsJsonObject().get("content").getAsString();
        List<Item> rows = new ArrayList<>();
        for (String line : user.split("\n")) {
            if (!line.isBlank()) {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                rows.add(new Item(o.get("id").getAsInt(), o.get("text").getAsString()));
            }
        }
        return rows;
    }

    private String completion(Call call, Reply reply) {
        JsonObject schema = SmallestDocumentFake.requestedSchema(call.body());
        String text;
        if (constrainedDecoder && schema != null) {
            text = SmallestDocumentFake.smallest(schema).toString();
        } else {
            List<String> keys = new ArrayList<>();
            List<JsonObject> out = new ArrayList<>();
            for (Item row : call.rows()) {
                if (reply.drop.contains(row.id())) {
                    continue;
                }
                JsonObject o = reply.replace.containsKey(row.id()) ? reply.replace.get(row.id()).deepCopy() : answer(row);
                int copies = reply.repeat.contains(row.id()) ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    keys.add(Integer.toString(row.id()));
                    out.add(o);
                }
            }
            for (int id : reply.extra) {
                keys.add(Integer.toString(id));
                out.add(answer(new Item(id, "extra")));
            }
            text = schema != null && SmallestDocumentFake.isKeyed(schema) ? keyed(keys, out) : rowsArray(out);
        }
        String finish = "stop";
        if (reply.truncateAt != null && reply.truncateAt < text.length()) {
            text = text.substring(0, reply.truncateAt);
            finish = "length";
        }
        if (reply.fenced) {
            text = (reply.prose ? "Here are the labels you asked for:\n" : "") + "```json\n" + text + "\n```";
        }
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", text);
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        choice.add("message", message);
        choice.addProperty("finish_reason", finish);
        JsonArray choices = new JsonArray();
        choices.add(choice);
        JsonObject usage = new JsonObject();
        if (usagePerCall != null) {
            usage.addProperty("prompt_tokens", usagePerCall[0]);
            usage.addProperty("completion_tokens", usagePerCall[1]);
        } else if (tokens == null) {
            usage.addProperty("prompt_tokens", 50 + 10 * call.rows().size());
            usage.addProperty("completion_tokens", 5 + 6 * call.rows().size());
        } else {
            int prompt = 3; // the reply's priming, and per message its role and delimiters: OpenAI's count for its chat models
            for (JsonElement m : call.body().getAsJsonArray("messages")) {
                prompt += 3 + tokens.applyAsInt(m.getAsJsonObject().get("content").getAsString());
            }
            usage.addProperty("prompt_tokens", prompt);
            usage.addProperty("completion_tokens", tokens.applyAsInt(text));
        }
        JsonObject root = new JsonObject();
        root.addProperty("id", "chatcmpl-fake-" + call.number());
        root.addProperty("object", "chat.completion");
        root.addProperty("model", call.body().get("model").getAsString());
        root.add("choices", choices);
        root.add("usage", usage);
        return root.toString();
    }

    /** Rows keyed by id, as a constrained decoder writes them; a repeated row is its key given twice. */
    private static String keyed(List<String> keys, List<JsonObject> rows) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < rows.size(); i++) {
            JsonObject row = rows.get(i).deepCopy();
            row.remove("id");
            s.append(i == 0 ? "" : ",").append('"').append(keys.get(i)).append("\":").append(row);
        }
        return s.append('}').toString();
    }

    private static String rowsArray(List<JsonObject> rows) {
        JsonArray array = new JsonArray();
        rows.forEach(array::add);
        JsonObject content = new JsonObject();
        content.add("rows", array);
        return content.toString();
    }

    private JsonObject answer(Item row) {
        JsonObject o = new JsonObject();
        o.addProperty("id", row.id());
        for (Map.Entry<String, JsonElement> e : labeler.apply(row).entrySet()) {
            o.add(e.getKey(), e.getValue());
        }
        return o;
    }

    static void send(HttpExchange exchange, int status, String retryAfter, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Describes a fake server. */
    public static final class Builder {
        private final Function<Item, JsonObject> labeler;
        private Script script = call -> new Reply();
        private int concurrencyLimit;
        private int limitUntil = Integer.MAX_VALUE;
        private String retryAfterWhenBusy = "1";
        private boolean refuseJsonSchema;
        private boolean constrainedDecoder;
        private java.util.function.ToIntFunction<String> tokens;
        private int port;
        private int[] usagePerCall;

        private Builder(Function<Item, JsonObject> labeler) {
            this.labeler = labeler;
        }

        /** Decides faults per call (default: none). */
        public Builder script(Script script) {
            this.script = script;
            return this;
        }

        /** Answers 429 with this Retry-After to requests beyond {@code limit} at once. */
        public Builder concurrencyLimit(int limit, String retryAfter) {
            this.concurrencyLimit = limit;
            this.retryAfterWhenBusy = retryAfter;
            return this;
        }

        /** Lifts the concurrency limit from the request with this number on. */
        public Builder limitUntil(int requestNumber) {
            this.limitUntil = requestNumber;
            return this;
        }

        /** Answers 400 to requests with a json_schema response_format, like servers without structured output. */
        public Builder refuseJsonSchema() {
            this.refuseJsonSchema = true;
            return this;
        }

        /**
         * Makes it a fake of a grammar-constrained decoder with a weak model: a request with a
         * {@code json_schema} gets the smallest document the schema allows
         * ({@link SmallestDocumentFake}); other requests are answered as usual.
         */
        public Builder constrainedDecoder() {
            this.constrainedDecoder = true;
            return this;
        }

        /**
         * Reports usage as a server counts it with a real tokenizer: prompt tokens are each
         * message's content tokens plus 3 per message and 3 for the reply, completion tokens the
         * answer's content tokens (default: 50 + 10 per row and 5 + 6 per row).
         *
         * @param tokens the tokens of a text, e.g. a Hugging Face tokenizer's count
         */
        public Builder usage(java.util.function.ToIntFunction<String> tokens) {
            this.tokens = tokens;
            return this;
        }

        /**
         * Reports this usage for every call, whatever its rows (default: 50 + 10 per row prompt
         * tokens, 5 + 6 per row completion tokens): a price per call at the client's prices.
         */
        public Builder usagePerCall(int promptTokens, int completionTokens) {
            this.usagePerCall = new int[] {promptTokens, completionTokens};
            return this;
        }

        /** Listens on this port (default: any free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Starts the server. */
        public FakeChatServer start() throws IOException {
            return new FakeChatServer(this);
        }
    }
}
